# Django keeps calling .delay() with positional arguments: the bodies now run on a Celeriac worker
# started with `celeriac worker --celery -Q celery -A examples/poultry-farms/tasks.ts`.
import json
import os

from celery import Celery

app = Celery("core", broker=os.environ["CELERY_BROKER_URL"], backend=os.environ["CELERY_BROKER_URL"])


@app.task(name="core.tasks.send_sms_async")
def send_sms_async(phone, message):
    """Runs on Celeriac now."""


@app.task(name="farms.tasks.notify_application_status_change")
def notify_application_status_change(application_id, new_status, message=""):
    """Runs on Celeriac now."""


sms = send_sms_async.delay("+233244123456", "Your verification code is 123456")
status = notify_application_status_change.delay("1", "Approved", "Congratulations! Your farm has been approved.")
print(json.dumps([sms.get(timeout=30), status.get(timeout=30)]))
