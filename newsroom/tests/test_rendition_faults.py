"""The renditions job under real workers: killed mid-job, and overtaken by a new original.

A site of its own (a migrated database, its media and originals folders, the
database queue) and real `manage.py run_worker` processes; the photo is a 24 MP
JPEG, the size the issue measured, so the job runs for seconds and can be cut
in the middle of writing its files.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from imaging.renditions import make_renditions
from newsroom.tests.live import (
    ROOT,
    PostgresCluster,
    PostgresDatabase,
    Site,
    SQLiteDatabase,
    postgres_binaries,
    wait_until,
)
from newsroom.tests.services import require_path

pytestmark = pytest.mark.faults

# Run by `manage.py shell -c` in the site's environment: an upload as the desk
# makes it (the job is enqueued when it commits), or a new original for it.
PHOTO = """
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from imaging.uploads import open_upload
from photos.models import Photo
from photos.services import create_photo_from_upload, save_photo

width, height = int(os.environ["PHOTO_WIDTH"]), int(os.environ["PHOTO_HEIGHT"])
# Noise in every channel: as slow to resize and encode as a real photo.
image = Image.merge("RGB", [Image.effect_noise((width, height), sigma) for sigma in (30, 50, 70)])
path = os.environ["PHOTO_FILE"]
image.save(path, "JPEG", quality=90)
file = SimpleUploadedFile("wire.jpg", open(path, "rb").read(), content_type="image/jpeg")
photo = Photo.objects.first()
if photo is None:
    create_photo_from_upload(file=file, fields={"credit": "Fault Wire", "caption": "Noise."})
else:
    photo.image = file
    save_photo(photo=photo, image=open_upload(file))
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request, tmp_path):
    """A migrated site that is never served: only its workers and shell run."""
    cluster = None
    if request.param == "postgresql":
        if postgres_binaries() is None:
            require_path("/usr/lib/postgresql/<version>/bin", "apt-get install postgresql")
        cluster = PostgresCluster()
        database = PostgresDatabase(cluster.server_url)
    else:
        database = SQLiteDatabase(tmp_path)
    try:
        yield Site(tmp_path, database, tmp_path / "static", readers=0)
    finally:
        if cluster is not None:
            cluster.remove()


# Short, so that the next worker takes over a killed one's job within the test.
LEASE_SECONDS = 1


class Worker:
    """One `manage.py run_worker` process of the site's, in a session of its own."""

    def __init__(self, site, *options):
        self.log = site.media.parent / "worker.log"
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "run_worker", "--interval", "0.2", *options],
                cwd=ROOT, env={**site.env, "NEWSROOM_JOBS_LEASE": str(LEASE_SECONDS)},
                stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def kill(self):
        """SIGKILL, as the kernel's OOM killer or a lost machine would: no clean-up at all."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.kill()

    def wait(self, timeout):
        try:
            assert self.process.wait(timeout=timeout) == 0, self.log.read_text()[-3000:]
        except subprocess.TimeoutExpired:
            self.kill()
            raise


def add_photo(site, width, height):
    file = site.media.parent / f"wire-{width}x{height}.jpg"
    site.manage(
        "shell", "-c", PHOTO, PHOTO_WIDTH=str(width), PHOTO_HEIGHT=str(height), PHOTO_FILE=str(file)
    )


def stored_photo(site) -> dict:
    [row] = site.database.query(
        "SELECT id, image, rendition_version, rendered_version, renditions, focal_x, focal_y, "
        "credit, photographer, copyright_notice FROM photos_photo"
    )
    names = "id image version rendered renditions focal_x focal_y credit photographer rights"
    photo = dict(zip(names.split(), row, strict=True))
    if isinstance(photo["renditions"], str):
        photo["renditions"] = json.loads(photo["renditions"])
    return photo


def rendition_files(site) -> set[str]:
    return {p.relative_to(site.media).as_posix() for p in site.media.rglob("*") if p.is_file()}


def expected_names(site, photo) -> set[str]:
    """The set the photo's original and values make, rendered here from scratch."""
    with Image.open(site.originals / photo["image"]) as original:
        made = make_renditions(
            original,
            focal_point=(photo["focal_x"], photo["focal_y"]),
            credit=photo["credit"],
            photographer=photo["photographer"],
            copyright_notice=photo["rights"],
        )
        return {f"renditions/{photo['id']}/v{photo['version']}-{r.name}" for r in made}


def assert_complete_and_alone(site, photo):
    listed = {r["name"] for r in photo["renditions"]}
    assert photo["rendered"] == photo["version"]
    assert listed == expected_names(site, photo)
    assert rendition_files(site) == listed, "orphan or missing files"


def test_a_worker_killed_mid_job_leaves_nothing_listed_and_the_next_one_completes_the_set(site):
    add_photo(site, 6000, 4000)
    assert stored_photo(site)["renditions"] == []
    worker = Worker(site)
    try:
        # Killed once a few files are written and before the set is complete.
        wait_until(
            "the first renditions written", lambda: len(rendition_files(site)) >= 3, 120, 0.02
        )
        worker.kill()
    finally:
        worker.stop()
    photo = stored_photo(site)
    written = rendition_files(site)
    print(f"killed after {len(written)} files of {len(expected_names(site, photo))}")
    assert photo["renditions"] == [] and photo["rendered"] is None
    assert written < expected_names(site, photo)

    # The next worker finds the job running in the name of a worker unseen
    # for longer than the lease, and runs it again.
    time.sleep(LEASE_SECONDS * 1.5)
    Worker(site, "--batch").wait(timeout=180)
    assert_complete_and_alone(site, stored_photo(site))


def test_a_new_original_during_the_old_one_s_job_wins_and_the_old_files_go(site):
    add_photo(site, 6000, 4000)
    worker = Worker(site)
    try:
        wait_until(
            "the first renditions written", lambda: len(rendition_files(site)) >= 1, 120, 0.02
        )
        add_photo(site, 1000, 700)
        # Replaced while its job was still writing (24 MP take seconds): it never listed.
        assert stored_photo(site)["rendered"] is None
        wait_until("the new set listed", lambda: stored_photo(site)["rendered"] == 2, 180)
        # The old job, overtaken, deletes what it wrote (after the new set may be listed).
        wait_until(
            "only the new set on disk",
            lambda: all(name.split("/")[2].startswith("v2-") for name in rendition_files(site)),
            60,
        )
    finally:
        worker.stop()
    photo = stored_photo(site)
    assert {r["width"] for r in photo["renditions"] if r["crop"] == "full"} == {480, 800}
    assert_complete_and_alone(site, photo)
    assert Path(site.originals / photo["image"]).is_file()
