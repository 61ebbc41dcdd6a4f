import random
import uuid
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import (
    Article,
    Author,
    Byline,
    Citation,
    Correction,
    PhotoPlacement,
    Section,
    Tag,
)
from demo.bulk import SYNTHETIC_REASON, add_published_comments, skewed_counts
from demo.comments import COMMENTS, READERS
from demo.pictures import draw_scene
from demo.stories import AUTHORS, PHOTOS, SECTIONS, STORIES
from discussion.models import CommentModeration, ReaderProfile
from discussion.names import name_skeleton
from discussion.services import comments_on, post_comment
from photos.models import Photo
from photos.services import create_photo_from_upload

SYNTHETIC_BATCH = 2000
SYNTHETIC_SLUG = "synthetic-story-{:06d}"
SYNTHETIC_SPACING = timedelta(minutes=20)
SYNTHETIC_READERS = 2000

SUBJECTS = ["Council", "Port authority", "Ferry operator", "University", "Union", "Library",
            "Fishing fleet", "Assembly", "Hospital board", "Market traders"]  # fmt: skip
VERBS = ["approves", "delays", "reviews", "expands", "questions", "funds", "opens", "pauses"]
OBJECTS = ["harbour plan", "bus routes", "night shifts", "housing scheme", "sea wall repairs",
           "school meals", "tidal study", "broadband contract", "museum hours"]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Create demo sections, authors, photos and stories (fiction written for this "
        "project). Running it again adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=len(STORIES),
            help=f"Total number of demo stories. The first {len(STORIES)} are hand-written; "
            "any more are synthetic, for load tests and benchmarks.",
        )

        parser.add_argument(
            "--comments",
            type=int,
            default=0,
            help="Total number of synthetic published comments, spread over the published "
            "stories with a news site's skew (a few stories get most of them). For "
            "benchmarks; bulk-inserted without the moderation rules.",
        )

    def handle(self, *args, articles, comments, **options):
        if articles < 0 or comments < 0:
            raise CommandError("--articles and --comments must be zero or more.")
        with transaction.atomic():
            sections = self.seed_sections()
            authors = self.seed_authors()
            photos = self.seed_photos()
            written = self.seed_stories(STORIES[:articles], sections, authors, photos)
            if articles:
                self.seed_discussion(Article.objects.get(slug=STORIES[0]["slug"]))
        synthetic = self.seed_synthetic(
            max(0, articles - len(STORIES)), list(sections.values()), list(authors.values()),
            list(photos.values()),
        )  # fmt: skip
        comments_added = self.seed_synthetic_comments(comments)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {len(sections)} sections, {len(authors)} authors, "
                f"{len(photos)} photos; {written} hand-written and {synthetic} synthetic "
                f"stories added ({Article.objects.count()} stories in all); {comments_added} "
                "synthetic comments added."
            )
        )

    def seed_sections(self):
        sections = {}
        for position, (name, slug, description) in enumerate(SECTIONS):
            sections[slug], _ = Section.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "description": description, "position": position},
            )
        return sections

    def seed_authors(self):
        return {
            data["slug"]: Author.objects.get_or_create(
                slug=data["slug"],
                defaults={key: data[key] for key in ("name", "job_title", "bio")},
            )[0]
            for data in AUTHORS
        }

    def seed_photos(self):
        photos = {}
        for key, data in PHOTOS.items():
            photo = Photo.objects.filter(title=data["title"]).first()
            if photo is None:
                # Through the upload path, so the demo photos get their renditions (a job).
                photo = create_photo_from_upload(
                    file=SimpleUploadedFile(f"{key}.jpg", draw_scene(data["scene"], key)),
                    fields={
                        "title": data["title"],
                        "caption": data["caption"],
                        "credit": data["credit"],
                        "photographer": data["photographer"],
                        "copyright_notice": data["copyright"],
                        "alt_text": data["alt"],
                    },
                )
            photos[key] = photo
        return photos

    def seed_stories(self, stories, sections, authors, photos):
        now = timezone.now()
        written = 0
        for data in stories:
            if Article.objects.filter(slug=data["slug"]).exists():
                continue
            publish_at = now - timedelta(hours=data["hours_ago"])
            article = Article(
                slug=data["slug"],
                section=sections[data["section"]],
                kicker=data["kicker"],
                headline=data["headline"],
                standfirst=data["standfirst"],
                dateline=data["dateline"],
                body="\n".join(data["body"]),
                featured=data.get("featured", False),
                status=Article.Status.PUBLISHED,
                publish_at=publish_at,
            )
            if data.get("corrections"):
                article.updated_at = now - timedelta(hours=data["corrections"][-1]["hours_ago"])
            article.full_clean()
            article.save()
            for position, slug in enumerate(data["authors"]):
                Byline.objects.create(article=article, author=authors[slug], position=position)
            article.tags.set(
                Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
                for name in data["tags"]
            )
            if data.get("photo"):
                PhotoPlacement.objects.create(
                    article=article, photo=photos[data["photo"]], role=PhotoPlacement.Role.LEAD
                )
            for position, source in enumerate(data["citations"]):
                citation = Citation(
                    article=article,
                    outlet=source["outlet"],
                    title=source["title"],
                    url=source["url"],
                    published_on=(now - timedelta(days=source["days_ago"])).date(),
                    quote=source.get("quote", ""),
                    archive_url=source.get("archive", ""),
                    claim=source.get("claim", ""),
                    position=position,
                )
                citation.full_clean()
                citation.save()
            for note in data.get("corrections", []):
                Correction.objects.create(
                    article=article,
                    kind=note["kind"],
                    text=note["text"],
                    published_at=now - timedelta(hours=note["hours_ago"]),
                )
            written += 1
        return written

    def seed_discussion(self, article):
        """Demo readers (who cannot log in) and a short threaded discussion, once."""
        readers = {}
        for email, display_name, status in READERS:
            user, created = get_user_model().objects.get_or_create(
                username=email.split("@")[0], defaults={"email": email}
            )
            if created:
                user.set_unusable_password()
                user.save()
                EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
                ReaderProfile.objects.create(user=user, display_name=display_name, status=status)
            readers[email] = user.reader
        if comments_on(article.pk).exists():
            return
        posted = {}
        for key, email, text, parent in COMMENTS:
            posted[key] = post_comment(
                article=article,
                reader=readers[email],
                text=text,
                parent=posted.get(parent),
                follow=False,
                submission_key=uuid.uuid5(uuid.NAMESPACE_URL, f"newsroom-demo-comment-{key}"),
                ip_address=None,
            )

    def seed_synthetic(self, count, sections, authors, photos):
        """Bulk-insert generated stories; only the missing numbers are created."""
        if count == 0:
            return 0
        wanted = {SYNTHETIC_SLUG.format(number): number for number in range(1, count + 1)}
        existing = set(
            Article.objects.filter(slug__startswith="synthetic-story-").values_list(
                "slug", flat=True
            )
        )
        missing = sorted(number for slug, number in wanted.items() if slug not in existing)
        now = timezone.now()
        # Synthetic stories are older than the hand-written ones, so the demo
        # front page keeps its hand-written lead.
        oldest_written = now - timedelta(hours=max(s["hours_ago"] for s in STORIES) + 1)
        for start in range(0, len(missing), SYNTHETIC_BATCH):
            batch = missing[start : start + SYNTHETIC_BATCH]
            with transaction.atomic():
                created = Article.objects.bulk_create(
                    self.synthetic_article(n, sections, oldest_written - n * SYNTHETIC_SPACING)
                    for n in batch
                )
                self.attach_synthetic_relations(created, authors, photos)
                # bulk_create skips save(), which keeps the search document current.
                Article.objects.filter(pk__in=[a.pk for a in created]).refresh_search_vectors()
            self.stdout.write(f"  {start + len(batch):,} of {len(missing):,} synthetic stories")
        return len(missing)

    def seed_synthetic_comments(self, total):
        """Bulk-insert the synthetic comments still missing, from a pool of synthetic readers."""
        missing = total - CommentModeration.objects.filter(reason=SYNTHETIC_REASON).count()
        if missing <= 0:
            return 0
        rng = random.Random(total)
        User = get_user_model()
        wanted = [f"synthetic-reader-{n:04d}" for n in range(SYNTHETIC_READERS)]
        have = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
        users = User.objects.bulk_create(
            User(username=name, email=f"{name}@example.org", password="!")
            for name in wanted
            if name not in have
        )
        named = [(user, user.username.replace("-", " ").title()) for user in users]
        # bulk_create skips save(), which derives each name's look-alike skeleton.
        ReaderProfile.objects.bulk_create(
            ReaderProfile(user=user, display_name=name, name_skeleton=name_skeleton(name))
            for user, name in named
        )
        readers = list(ReaderProfile.objects.filter(user__username__in=wanted))
        stories = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
        counts = skewed_counts(articles=len(stories), total=missing, rng=rng)
        return add_published_comments(
            counts=dict(zip(stories, counts, strict=True)),
            readers=readers,
            now=timezone.now(),
            rng=rng,
        )

    @staticmethod
    def synthetic_article(number, sections, publish_at):
        rng = random.Random(number)
        subject, verb, thing = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)
        paragraphs = [
            f"<p>The {subject.lower()} {verb} the {thing}, story {number} of the synthetic "
            f"demo set. This text is generated and reports nothing real.</p>"
            for _ in range(rng.randint(3, 8))
        ]
        return Article(
            slug=SYNTHETIC_SLUG.format(number),
            section=sections[number % len(sections)],
            headline=f"{subject} {verb} {thing}",
            standfirst=f"A generated story (number {number}) for testing the site at scale.",
            body="\n".join(paragraphs),
            status=Article.Status.PUBLISHED,
            publish_at=publish_at,
            first_published_at=publish_at,
        )

    @staticmethod
    def attach_synthetic_relations(articles, authors, photos):
        bylines, placements = [], []
        for article in articles:
            rng = random.Random(article.slug)
            for position, author in enumerate(rng.sample(authors, rng.randint(1, 2))):
                bylines.append(Byline(article=article, author=author, position=position))
            if photos and rng.random() < 0.6:
                placements.append(
                    PhotoPlacement(
                        article=article, photo=rng.choice(photos), role=PhotoPlacement.Role.LEAD
                    )
                )
        Byline.objects.bulk_create(bylines)
        PhotoPlacement.objects.bulk_create(placements)
