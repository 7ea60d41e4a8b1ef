# Django keeps calling .delay(): the task's body now runs on a Celeriac worker started with
# `celeriac worker --celery -Q celery -A examples/volunteer-admin/tasks.ts`, on the same Redis.
import json
import os

from celery import Celery

app = Celery(
    "admin_backend",
    broker=os.environ["CELERY_BROKER_URL"],
    backend=os.environ["CELERY_BROKER_URL"],
)


@app.task(name="models_app.tasks.send_welcome_email")
def send_welcome_email(user_id=None, admin_id=None, user_type="user"):
    """Runs on Celeriac now; the signature stays so every caller keeps working."""


result = send_welcome_email.delay(admin_id=1, user_type="admin")
print(json.dumps(result.get(timeout=30)))
