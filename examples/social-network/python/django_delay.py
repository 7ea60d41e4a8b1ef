# Django keeps calling .delay() after registration and upload: the bodies now run on a Celeriac
# worker started with `celeriac worker --celery -Q emails,media -A examples/social-network/tasks.ts`.
import json
import os

from celery import Celery

app = Celery("social_media_backend", broker=os.environ["CELERY_BROKER_URL"], backend=os.environ["CELERY_BROKER_URL"])
app.conf.task_routes = {
    "users.tasks.send_welcome_email": {"queue": "emails"},
    "posts.tasks.process_media_upload": {"queue": "media"},
}


@app.task(name="users.tasks.send_welcome_email")
def send_welcome_email(user_id):
    """Runs on Celeriac now."""


@app.task(name="posts.tasks.process_media_upload")
def process_media_upload(post_id, file_path):
    """Runs on Celeriac now."""


welcome = send_welcome_email.delay(3)
media = process_media_upload.delay(1, "uploads/photo.png")
print(json.dumps([welcome.get(timeout=30), media.get(timeout=30)]))
