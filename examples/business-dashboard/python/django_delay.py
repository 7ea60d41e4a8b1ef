# The document's Python client, unchanged: the bodies now run on a Celeriac worker started with
# `celeriac worker --celery -Q high_priority,cache_operations -A examples/business-dashboard/tasks.ts`.
import json
import os

from celery import Celery

app = Celery("senangkira", broker=os.environ["CELERY_BROKER_URL"], backend=os.environ["CELERY_BROKER_URL"])
app.conf.task_routes = {
    "dashboard.tasks.refresh_dashboard_cache": {"queue": "high_priority"},
    "dashboard.tasks.warm_dashboard_cache": {"queue": "cache_operations"},
}


@app.task(name="dashboard.tasks.refresh_dashboard_cache")
def refresh_dashboard_cache(user_id=None):
    """Runs on Celeriac now."""


@app.task(name="dashboard.tasks.warm_dashboard_cache")
def warm_dashboard_cache(user_id=None):
    """Runs on Celeriac now."""


refresh_result = refresh_dashboard_cache.delay(user_id=1)
warm_result = warm_dashboard_cache.delay(user_id=2)
print(json.dumps([refresh_result.get(timeout=30), warm_result.get(timeout=30)]))
