from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from .names import (
    MAX_STACKED_MARKS,
    has_invisible_characters,
    has_stacked_marks,
    name_skeleton,
    normalise_display_name,
    reserved_name_in,
)


def validate_display_name(value):
    if "@" in value:
        raise ValidationError("A display name cannot contain “@”; it must not look like an email.")
    if has_invisible_characters(value):
        raise ValidationError(
            "A display name cannot contain invisible or direction-changing characters (such "
            "as zero-width spaces, soft hyphens or right-to-left marks) or control characters."
        )
    if has_stacked_marks(value):
        raise ValidationError(
            f"A display name cannot stack more than {MAX_STACKED_MARKS} accents or marks on "
            "one letter."
        )
    reserved = reserved_name_in(value)
    if reserved:
        raise ValidationError(
            f"That name is reserved: it is, or looks like, “{reserved}”. Please choose another."
        )


class ModerationPolicy(models.Model):
    """The site's discussion rules; there is exactly one, edited in the admin."""

    class ErasedComments(models.TextChoices):
        FORMER_READER = "former_reader", "Keep them, signed “Former reader”"
        REMOVE = "remove", "Remove them from the site"

    premoderate_all = models.BooleanField(
        "hold every comment",
        default=False,
        help_text="Site-wide pre-moderation: every new comment waits for a moderator, "
        "trusted readers' included.",
    )
    hold_first_comments = models.BooleanField(
        "hold first-time commenters",
        default=True,
        help_text="A reader's comments wait for review until a moderator has approved one.",
    )
    max_links = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(50)],
        help_text="Comments with more links than this wait for review.",
    )
    suspect_words = models.TextField(
        blank=True,
        help_text="One word or phrase per line. A comment containing one waits for review. "
        "Matched as whole words, ignoring case.",
    )
    banned_words = models.TextField(
        blank=True,
        help_text="One word or phrase per line. A comment containing one is rejected at once. "
        "Matched as whole words, ignoring case.",
    )
    close_after_days = models.PositiveSmallIntegerField(
        default=14,
        help_text="Comments close this many days after a story is first published; 0 keeps "
        "them open. A story can set its own number.",
    )
    flags_to_requeue = models.PositiveSmallIntegerField(
        "flags before review",
        default=3,
        validators=[MaxValueValidator(100)],
        help_text="A published comment reported by this many different readers in good "
        "standing (below) is taken down and goes back to the moderation queue. Reports a "
        "moderator overruled by approving the comment do not count again.",
    )
    report_min_account_days = models.PositiveSmallIntegerField(
        "account age for reports to count (days)",
        default=1,
        validators=[MaxValueValidator(365)],
        help_text="A report counts toward taking a comment down only if the reader's account "
        "was at least this old when they reported, their address is confirmed and they are "
        "not banned or suspended. Other reports are kept for moderators all the same.",
    )
    report_min_approved_comments = models.PositiveSmallIntegerField(
        "approved comments for reports to count",
        default=1,
        validators=[MaxValueValidator(100)],
        help_text="A report counts toward taking a comment down only if the reader has at "
        "least this many published comments. 0 lets a new reader's report count.",
    )
    screening_threshold = models.FloatField(
        "screening threshold",
        null=True,
        blank=True,
        default=0.8,
        validators=[MinValueValidator(0.05), MaxValueValidator(0.99)],
        help_text="Every new comment is scored by the abuse classifier that runs on this "
        "server (0 is clean, 1 is certainly abusive). A comment scoring this or more waits for "
        "review, with its score shown to moderators. Lower holds more. Leave empty to switch "
        "the hold off; comments are still scored.",
    )
    nudge_before_posting = models.BooleanField(
        "think before you post",
        default=True,
        help_text="A comment scoring above the threshold is first handed back to its writer "
        "with a notice and their text intact; if they send it again, it goes to the queue.",
    )
    recent_history_days = models.PositiveSmallIntegerField(
        "recent history: days",
        default=7,
        validators=[MaxValueValidator(365)],
        help_text="Hold a reader's new comments while too many of their comments decided in "
        "this many past days were rejected (below). 0 switches the rule off.",
    )
    recent_history_min_decided = models.PositiveSmallIntegerField(
        "recent history: decided comments",
        default=3,
        validators=[MaxValueValidator(1000)],
        help_text="The rule looks at a reader's record only once this many of their comments "
        "in the period have been decided, so one early rejection does not hold a newcomer.",
    )
    recent_history_rejected_percent = models.PositiveSmallIntegerField(
        "recent history: rejected share (%)",
        default=30,
        validators=[MaxValueValidator(100)],
        help_text="Hold while more than this percentage of the reader's decided comments in "
        "the period were rejected.",
    )
    repeat_window_minutes = models.PositiveSmallIntegerField(
        "repeat posts: minutes",
        default=10,
        validators=[MaxValueValidator(10080)],
        help_text="A comment whose text the same reader already posted in this many minutes, "
        "on this story or another, waits for review. 0 switches the rule off.",
    )
    rejection_reasons = models.TextField(
        default="Breaks the discussion rules.\nAbusive or hateful.\nSpam or advertising.\n"
        "Off topic.\nShares personal information.",
        help_text="One reason per line, offered to moderators when they reject; they may also "
        "write their own. The first is used when none is chosen.",
    )
    email_author_on_rejection = models.BooleanField(
        "email authors of rejected comments",
        default=False,
        help_text="Send the author an email with the moderator's reason when a comment of "
        "theirs is rejected.",
    )
    email_author_on_feature = models.BooleanField(
        "email authors of featured comments",
        default=False,
        help_text="Send the author an email when a moderator features a comment of theirs.",
    )
    edit_window_minutes = models.PositiveSmallIntegerField(
        "edit window (minutes)",
        default=5,
        validators=[MaxValueValidator(1440)],
        help_text="A reader may edit a comment for this many minutes after posting it. The "
        "edited text goes through the rules again, the comment says “edited”, and moderators "
        "see the earlier text. 0: comments cannot be edited.",
    )
    erased_comments = models.CharField(
        "comments of deleted accounts",
        max_length=20,
        choices=ErasedComments.choices,
        default=ErasedComments.FORMER_READER,
        help_text="What becomes of a reader's comments when they delete their account. Their "
        "email, name, address and profile are erased either way; moderators keep the decisions.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "moderation policy"
        verbose_name_plural = "moderation policy"

    def __str__(self):
        return "Moderation policy"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]

    @staticmethod
    def _lines(text):
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def suspect_word_list(self):
        return self._lines(self.suspect_words)

    @property
    def banned_word_list(self):
        return self._lines(self.banned_words)

    @property
    def rejection_reason_list(self):
        return self._lines(self.rejection_reasons) or ["Breaks the discussion rules."]


class ReaderProfile(models.Model):
    """A site account's public face in the discussion, and its moderation standing."""

    class Status(models.TextChoices):
        TRUSTED = "trusted", "Trusted (skips first-comment, link and suspect-word review)"
        NORMAL = "normal", "Normal"
        PREMODERATED = "premoderated", "Always reviewed"
        SUSPENDED = "suspended", "Suspended until a date"
        BANNED = "banned", "Banned"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader"
    )
    display_name = models.CharField(
        max_length=40,
        validators=[MinLengthValidator(2), validate_display_name],
        help_text="Shown on the reader's comments instead of their email, which is never "
        "shown. 2–40 characters, stored in Unicode NFKC form; no invisible, direction-changing "
        "or control characters, not a reserved name, and unlike any other reader's name.",
    )
    # NULL rather than "" for the names that have none: a unique column holds many NULLs.
    name_skeleton = models.CharField(  # noqa: DJ001
        max_length=255,
        unique=True,
        null=True,
        editable=False,
        help_text="What the display name looks like, ignoring case (its Unicode confusable "
        "skeleton); no two readers' names may share one. Empty only for a name that already "
        "looked like an earlier reader's when this rule came in.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NORMAL, db_index=True
    )
    suspended_until = models.DateTimeField(
        null=True, blank=True, help_text="For suspended readers: when they may comment again."
    )
    joined_at = models.DateTimeField(default=timezone.now)
    notify_replies = models.BooleanField(
        "email me replies to my comments",
        default=True,
        help_text="An email when someone's reply to one of the reader's comments is published.",
    )
    notify_moderation = models.BooleanField(
        "email me moderators' decisions",
        default=True,
        help_text="An email when a moderator rejects or features one of the reader's comments, "
        "where the moderation policy sends those.",
    )

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"),
                name="display_name_unique_ignoring_case",
                violation_error_message="That display name is taken; please choose another.",
            )
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        # Derived only from a new name: a name that already looked like an
        # earlier reader's when the rule came in keeps its empty skeleton (and
        # its reader can still be banned) until it is changed.
        if self.renamed:
            self.name_skeleton = name_skeleton(self.display_name)
        super().save(*args, **kwargs)
        self._stored_display_name = self.display_name

    @classmethod
    def from_db(cls, db, field_names, values):
        reader = super().from_db(db, field_names, values)
        reader._stored_display_name = reader.__dict__.get("display_name")
        return reader

    @property
    def renamed(self):
        """Whether the display name is new or changed since the profile was read."""
        return self.display_name != getattr(self, "_stored_display_name", None)

    def clean_fields(self, exclude=None):
        # The rules apply to the name as it will be stored and shown.
        if not exclude or "display_name" not in exclude:
            self.display_name = normalise_display_name(self.display_name)
        super().clean_fields(exclude)

    def clean(self):
        if self.status == self.Status.SUSPENDED and not self.suspended_until:
            raise ValidationError({"suspended_until": "Give the date the suspension ends."})

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude)
        if (exclude and "display_name" in exclude) or not self.renamed:
            return
        lookalike = (
            ReaderProfile.objects.exclude(pk=self.pk)
            .filter(name_skeleton=name_skeleton(self.display_name))
            .first()
        )
        # The same name in other capitals is refused by the constraint as "taken".
        if lookalike and lookalike.display_name.lower() != self.display_name.lower():
            raise ValidationError(
                {
                    "display_name": "That name looks like the name of another reader; please "
                    "choose another."
                }
            )

    def is_suspended(self) -> bool:
        """Suspended, and the suspension has not run out yet."""
        return (
            self.status == self.Status.SUSPENDED
            and self.suspended_until is not None
            and self.suspended_until > timezone.now()
        )


class ReaderStatusChange(models.Model):
    """One change of a reader's standing: who made it, when, and why."""

    reader = models.ForeignKey(ReaderProfile, on_delete=models.CASCADE, related_name="history")
    old_status = models.CharField(max_length=20, choices=ReaderProfile.Status.choices)
    new_status = models.CharField(max_length=20, choices=ReaderProfile.Status.choices)
    suspended_until = models.DateTimeField(null=True, blank=True)
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.reader}: {self.old_status} → {self.new_status}"


class Rule(models.TextChoices):
    """Why a comment ended up where it is: the rule that decided, or a person."""

    PASSED = "passed", "Passed every rule"
    TRUSTED = "trusted", "Trusted reader"
    BANNED_WORD = "banned_word", "Contains a banned word"
    PREMODERATE_SITE = "premoderate_site", "Site-wide pre-moderation"
    PREMODERATE_SECTION = "premoderate_section", "Section is pre-moderated"
    PREMODERATE_ARTICLE = "premoderate_article", "Story is pre-moderated"
    PREMODERATE_READER = "premoderate_reader", "Reader is always reviewed"
    FIRST_COMMENT = "first_comment", "First-time commenter"
    TOO_MANY_LINKS = "too_many_links", "Too many links"
    SUSPECT_WORD = "suspect_word", "Contains a suspect word"
    SCREENING = "screening", "Possibly abusive (screening)"
    RECENT_HISTORY = "recent_history", "Many recent comments rejected"
    REPEAT_POST = "repeat_post", "Repeated text"
    FLAGGED = "flagged", "Reported by readers"
    MODERATOR = "moderator", "Moderator's decision"


class CommentModeration(models.Model):
    """Where a comment stands in moderation, and why; one per comment."""

    class State(models.TextChoices):
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Awaiting moderation"
        REMOVED = "removed", "Removed"
        DELETED = "deleted", "Deleted by its author"

    comment = models.OneToOneField(
        "django_comments_xtd.XtdComment", on_delete=models.CASCADE, related_name="moderation"
    )
    state = models.CharField(max_length=10, choices=State.choices, db_index=True)
    rule = models.CharField(max_length=30, choices=Rule.choices)
    reason = models.CharField(
        max_length=300, help_text="Shown to moderators and to the comment's author."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the policy decided on its own.",
    )
    decided_at = models.DateTimeField(default=timezone.now)
    score = models.FloatField(
        null=True,
        blank=True,
        editable=False,
        help_text="The abuse classifier's score when the comment was posted, from 0 (clean) "
        "to 1 (certainly abusive). Empty for comments posted before screening.",
    )
    featured_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="When a moderator or editor featured the comment among the story's "
        "Editors' picks. Only a published comment can be featured; hiding it unfeatures it.",
    )
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    edited_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When its author last edited it; the earlier texts are kept (CommentEdit).",
    )
    recommendations = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="How many readers recommend it, kept with each recommendation so a thread "
        "sorts by it without counting.",
    )
    submission_key = models.UUIDField(
        unique=True,
        null=True,
        editable=False,
        help_text="The comment form's one-time key; a second post of the same form is "
        "recognised as a double submit.",
    )

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.get_state_display()}: {self.get_rule_display()}"


class CommentEdit(models.Model):
    """A comment's text before one of its author's edits, kept for moderators."""

    comment = models.ForeignKey(
        "django_comments_xtd.XtdComment", on_delete=models.CASCADE, related_name="edits"
    )
    previous_text = models.TextField()
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-edited_at", "-id"]

    def __str__(self):
        return f"Edit of comment {self.comment_id} at {self.edited_at:%Y-%m-%d %H:%M}"


class Recommendation(models.Model):
    """A reader recommends another reader's comment; one each, and it can be taken back."""

    comment = models.ForeignKey(
        "django_comments_xtd.XtdComment", on_delete=models.CASCADE, related_name="recommended_by"
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reader"], name="one_recommendation_per_reader"
            )
        ]

    def __str__(self):
        return f"{self.reader_id} recommends {self.comment_id}"


class StoryFollowQuerySet(models.QuerySet):
    def of_reader(self, user):
        """The reader's follows with their stories, newest first, for listing."""
        return self.filter(reader=user).select_related("article")

    def follows(self, user, article) -> bool:
        return user.is_authenticated and self.filter(reader=user, article=article).exists()


class StoryFollow(models.Model):
    """A reader asked to hear of every new comment on a story."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_follows"
    )
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = StoryFollowQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["reader", "article"], name="one_follow_per_story")
        ]

    def __str__(self):
        return f"{self.reader_id} follows story {self.article_id}"


class ModerationDecision(models.Model):
    """One entry of the moderation log: who decided what about a comment or reader, and why.

    Kept when the comment or the people are gone: the decision stays, the person is dropped.
    """

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        REQUEUE = "requeue", "Sent back to the queue"
        FEATURE = "feature", "Featured"
        UNFEATURE = "unfeature", "Unfeatured"
        BAN = "ban", "Banned the author"

    action = models.CharField(max_length=10, choices=Action.choices, db_index=True)
    comment = models.ForeignKey(
        "django_comments_xtd.XtdComment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    reader = models.ForeignKey(
        ReaderProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        help_text="The comment's author, or the reader banned.",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_decisions",
        help_text="Empty when the policy decided on its own (reports taking a comment down).",
    )
    reason = models.CharField(max_length=300, blank=True)
    decided_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.decided_at:%Y-%m-%d %H:%M})"


class CommentReportQuerySet(models.QuerySet):
    def counting_toward_takedown(self, policy: ModerationPolicy):
        """Reports that count toward pulling a comment: made by readers in good standing
        (as the policy defines it) and not overruled by a moderator's approval since."""
        account_age = timedelta(days=policy.report_min_account_days)
        counting = self.filter(
            Exists(EmailAddress.objects.filter(user=OuterRef("reporter"), verified=True)),
            overruled_at__isnull=True,
            reporter__reader__isnull=False,
            reporter__date_joined__lte=F("reported_at") - account_age,
        ).exclude(reporter__reader__status=ReaderProfile.Status.BANNED)
        counting = counting.exclude(
            reporter__reader__status=ReaderProfile.Status.SUSPENDED,
            reporter__reader__suspended_until__gt=timezone.now(),
        )
        if policy.report_min_approved_comments:
            approved = (
                CommentModeration.objects.filter(
                    comment__user=OuterRef("reporter"), state=CommentModeration.State.PUBLISHED
                )
                .values("comment__user")
                .annotate(total=Count("pk"))
                .values("total")
            )
            counting = counting.annotate(
                reporter_approved=Coalesce(Subquery(approved, output_field=IntegerField()), 0)
            ).filter(reporter_approved__gte=policy.report_min_approved_comments)
        return counting


class CommentReport(models.Model):
    """A reader's report that a comment breaks the rules."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abusive or hateful"
        OFF_TOPIC = "off_topic", "Off topic"
        MISINFORMATION = "misinformation", "False or misleading"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(
        "django_comments_xtd.XtdComment", on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="comment_reports",
        help_text="Empty once the reporter has deleted their account; the report stays for "
        "moderators.",
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    reported_at = models.DateTimeField(default=timezone.now)
    overruled_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a moderator approved the comment after this report. An overruled "
        "report no longer counts toward taking the comment down.",
    )
    overruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The moderator whose approval overruled this report.",
    )

    objects = CommentReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_reader")
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.reporter_id})"


def public_name(user):
    """How the site names a person: their display name, never their email or username."""
    reader = getattr(user, "reader", None)
    return reader.display_name if reader else "Reader"
