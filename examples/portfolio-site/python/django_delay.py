# Django keeps calling .delay(): the bodies now run on a Celeriac worker started with
# `celeriac worker --celery -Q high_priority -A examples/portfolio-site/tasks.ts`, on the same Redis.
import json
import os

from celery import Celery

app = Celery("portfolio_site", broker=os.environ["CELERY_BROKER_URL"], backend=os.environ["CELERY_BROKER_URL"])
app.conf.task_routes = {"apps.main.tasks.*": {"queue": "high_priority"}}


@app.task(name="apps.main.tasks.process_user_action")
def process_user_action(user_id, action, data=None):
    """Runs on Celeriac now."""


@app.task(name="apps.main.tasks.send_notification")
def send_notification(user_id, message, channels=("email",)):
    """Runs on Celeriac now."""


liked = process_user_action.delay(1, "like", {"project_id": 1})
sent = send_notification.delay(1, "Thanks for the like!", ["email", "sms"])
print(json.dumps([liked.get(timeout=30), sent.get(timeout=30)]))
