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


def run(task, kwargs):
    status_url = call("POST", "/api/v1/tasks/" + task, kwargs)["status_url"]
    while not (status := call("GET", status_url))["ready"]:
        time.sleep(0.2)
    return status["result"]


refreshed = run("dashboards.tasks.refresh_dashboard_cache", {"cache_keys": ["executive_overview", "alerts"]})
report = run("farms.tasks.generate_farm_activity_report", {"farm_id": "1", "days": 30, "email": "farmer@example.com"})
print(json.dumps([refreshed, report]))
