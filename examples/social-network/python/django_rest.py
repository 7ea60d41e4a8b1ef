# Django calls Celeriac's REST API instead of .delay(): one HTTP request per task.
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


task = call("POST", "/api/v1/tasks/users.tasks.update_user_statistics", {})
while not (status := call("GET", task["status_url"]))["ready"]:
    time.sleep(0.2)
print(json.dumps(status["result"]))
