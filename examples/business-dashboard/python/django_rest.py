# The dashboard front end's calls, now answered by Celeriac's monitoring API (same paths, same shapes).
import json
import os
import time
import urllib.request

BASE, TOKEN = os.environ["CELERIAC_URL"], os.environ["CELERIAC_TOKEN"]


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    headers = {"authorization": "Bearer " + TOKEN, "content-type": "application/json"}
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request) as response:
        return json.load(response)


status = call("GET", "/api/dashboard/celery/status/")
task = call("POST", "/api/dashboard/celery/tasks/dashboard.tasks.send_notification/execute/", {
    "args": [],
    "kwargs": {"user_id": 2, "message": "Your dashboard has been updated", "notification_type": "info"},
})
task_id = task["task_id"]
while (detail := call("GET", "/api/dashboard/celery/tasks/" + task_id + "/"))["status"] not in ("success", "failure"):
    time.sleep(0.2)
print(json.dumps({"system": status["status"], "task_id": task_id, "task": detail["status"]}))
