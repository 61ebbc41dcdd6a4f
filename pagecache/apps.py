from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save

# Every model whose rows appear on a public page (story text, bylines, photos
# and their captions, sources, corrections, sections, comments and the names
# shown on them, the policy that opens and closes discussions).
SHOWN_ON_PAGES = [
    "articles.Article",
    "articles.Author",
    "articles.Byline",
    "articles.Citation",
    "articles.Correction",
    "articles.PhotoPlacement",
    "articles.Section",
    "articles.Tag",
    "photos.Photo",
    "django_comments_xtd.XtdComment",
    "discussion.CommentModeration",
    "discussion.ModerationPolicy",
    "discussion.ReaderProfile",
]


def _pages_changed(sender, action="post_", **kwargs):
    from .models import Generation

    if action.startswith("pre_"):  # m2m_changed also fires before the change
        return

    Generation.objects.bump()


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from articles.models import Article

        # Signals rather than calls in each service: the admin (forms and
        # inlines) writes these models directly, and a missed write would be a
        # stale page. The bump runs in the writer's transaction.
        for label in SHOWN_ON_PAGES:
            model = self.apps.get_model(label)
            post_save.connect(_pages_changed, sender=model, dispatch_uid=f"pagecache-{label}")
            post_delete.connect(_pages_changed, sender=model, dispatch_uid=f"pagecache-{label}-d")
        m2m_changed.connect(
            _pages_changed, sender=Article.tags.through, dispatch_uid="pagecache-tags"
        )
