"""The workbench: the queue's tabs of comment cards, the decisions, the author panel.

Every page works as plain HTML forms (each decision redirects back to the tab
it was taken on). workbench.js sends the same forms with fetch and asks for
JSON (decisions) or a bare fragment (the author panel) instead.
"""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape
from django.views import View
from django.views.generic import DetailView, ListView
from django_comments_xtd.models import XtdComment

from articles.models import Article
from discussion.models import CommentModeration, ModerationPolicy, ReaderProfile, Rule
from discussion.services import set_reader_status

from .decisions import DECISIONS, return_page, take_decision
from .forms import BanForm, ReaderStatusForm, RejectionForm
from .permissions import ModeratorRequiredMixin
from .queue import (
    TAB_BY_SLUG,
    TABS,
    attach_parents,
    cards,
    cards_by_pk,
    stories_with_comments_in,
    tab_counts,
)
from .services import OtherComments, ban_reader

PAGE_SIZE = 20


def wants_json(request) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def wants_fragment(request) -> bool:
    return request.headers.get("X-Fragment") == "1"


def tab_of(request):
    return TAB_BY_SLUG.get(request.GET.get("tab") or request.POST.get("tab"), TABS[0])


def story_of(request):
    """The story the queue is narrowed to (`story`), or None."""
    pk = request.GET.get("story") or request.POST.get("story") or ""
    return Article.objects.filter(pk=pk).first() if pk.isdigit() else None


def desk_context(request, **context):
    """The admin's own context, so the workbench sits in the desk's chrome."""
    return {**admin.site.each_context(request), **context}


def card_context(comment, *, policy, tab, next_url, user):
    open_reports = [r for r in comment.reports.all() if r.overruled_at is None]
    moderation = comment.moderation
    reviewed = moderation.rule == Rule.MODERATOR
    published = moderation.state == CommentModeration.State.PUBLISHED
    # Its author took it back: nothing is left to decide (the services refuse too).
    deleted = moderation.state == CommentModeration.State.DELETED
    return {
        "comment": comment,
        "moderation": moderation,
        "story": comment.content_object,
        "reader": getattr(comment.user, "reader", None) if comment.user_id else None,
        "open_reports": open_reports,
        "tab": tab,
        "next_url": next_url,
        "site_premoderated": policy.premoderate_all,
        "may_approve": not (deleted or (published and reviewed and not open_reports)),
        "may_reject": moderation.state
        not in (CommentModeration.State.REMOVED, CommentModeration.State.DELETED),
        "deleted": deleted,
        "may_feature": published and moderation.featured_at is None,
        "may_edit_story": user.has_perm("articles.change_article"),
        "reject_form": RejectionForm(auto_id=f"id_%s_{comment.pk}", policy=policy),
        "ban_form": BanForm(auto_id=f"id_ban_%s_{comment.pk}"),
    }


class QueueView(ModeratorRequiredMixin, ListView):
    template_name = "moderation/queue.html"
    paginate_by = PAGE_SIZE
    context_object_name = "comments"

    def get(self, request, *args, **kwargs):
        self.tab = tab_of(request)
        self.order = "oldest" if request.GET.get("order") == "oldest" else "newest"
        self.story = story_of(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return cards(tab=self.tab, order=self.order, story=self.story)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comments = list(context["page_obj"].object_list)
        attach_parents(comments)
        policy = ModerationPolicy.current()
        counts = tab_counts(self.story)
        next_url = self.request.get_full_path()
        return desk_context(
            self.request,
            **context,
            title="Moderation workbench",
            tabs=[(tab, counts[tab.slug]) for tab in TABS],
            tab=self.tab,
            order=self.order,
            story_filter=self.story,
            stories=stories_with_comments_in(self.tab),
            next_url=next_url,
            bulk_reject_form=RejectionForm(auto_id="id_bulk_%s", policy=policy),
            cards=[
                card_context(
                    c, policy=policy, tab=self.tab, next_url=next_url, user=self.request.user
                )
                for c in comments
            ],
        )


class DecisionAnswerMixin:
    """Answers a decision: JSON for the script (each card drawn again, or None where it
    left the tab, and the new counts), else a redirect to the page it was taken on."""

    def answer(self, request, message, level, pks):
        if not wants_json(request):
            messages.add_message(request, level, message)
            return redirect(return_page(request, reverse("moderation:queue")))
        tab = tab_of(request)
        policy = ModerationPolicy.current()
        still_in_tab = cards_by_pk(
            XtdComment.objects.filter(tab.of_comments(), pk__in=pks).values("pk")
        )
        next_url = return_page(request, reverse("moderation:queue"))
        drawn = {
            pk: render_to_string(
                "moderation/_card.html",
                {
                    "card": card_context(
                        still_in_tab[pk],
                        policy=policy,
                        tab=tab,
                        next_url=next_url,
                        user=request.user,
                    ),
                    "story_filter": story_of(request),
                },
                request=request,
            )
            if pk in still_in_tab
            else None
            for pk in pks
        }
        return JsonResponse(
            {
                # HTML: names arrive in <bdi>, and anything a person typed escaped.
                "message": conditional_escape(message),
                "level": messages.DEFAULT_TAGS[level],
                "cards": drawn,
                "counts": tab_counts(story_of(request)),
            },
            status=400 if level == messages.ERROR else 200,
        )


def comments_for_decision(pks):
    return list(XtdComment.objects.filter(pk__in=pks).select_related("moderation", "user__reader"))


class DecideView(ModeratorRequiredMixin, DecisionAnswerMixin, View):
    """One card's decision: approve, reject, ban, feature or unfeature."""

    def post(self, request, pk, action):
        decision = DECISIONS.get(action)
        if decision is None:
            raise Http404("No such decision.")
        comments = comments_for_decision([pk])
        if not comments:
            raise Http404("No such comment.")
        message, level = take_decision(request, decision, comments)
        return self.answer(request, message, level, [pk])


class BulkDecideView(ModeratorRequiredMixin, DecisionAnswerMixin, View):
    """The same decisions on every comment ticked on the page."""

    def post(self, request):
        decision = DECISIONS.get(request.POST.get("action", ""))
        pks = [int(pk) for pk in request.POST.getlist("comments") if pk.isdigit()]
        comments = comments_for_decision(pks)
        if decision is None:
            message, level = "Choose what to do with the selected comments.", messages.ERROR
        elif not comments:
            message, level = "Select at least one comment first.", messages.ERROR
        else:
            message, level = take_decision(request, decision, comments)
        return self.answer(request, message, level, [c.pk for c in comments])


class AuthorView(ModeratorRequiredMixin, DetailView):
    """A comment author's record and standing: a side panel with scripts, a page without."""

    template_name = "moderation/author.html"
    context_object_name = "reader"
    queryset = ReaderProfile.objects.select_related("user")

    def post(self, request, *args, **kwargs):
        self.object = reader = self.get_object()
        form = ReaderStatusForm(request.POST, reader=reader)
        if form.is_valid():
            change = form.cleaned_data
            # A ban is a moderation decision too: ban_reader logs it and sees to
            # the reader's other comments.
            if change["status"] == ReaderProfile.Status.BANNED:
                ban_reader(
                    reader=reader,
                    reason=change["reason"],
                    other_comments=change["other_comments"] or OtherComments.KEEP,
                    by=request.user,
                )
            else:
                set_reader_status(
                    reader=reader,
                    status=change["status"],
                    until=change.get("until"),
                    reason=change["reason"],
                    by=request.user,
                )
            done = f"{reader.display_name} is now: {reader.get_status_display()}."
            if not wants_fragment(request):
                messages.success(request, done)
                return redirect("moderation:author", reader.pk)
            return self.render_to_response(self.get_context_data(done=done))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reader = self.object
        State = CommentModeration.State
        record = CommentModeration.objects.filter(comment__user=reader.user).aggregate(
            published=Count("pk", filter=Q(state=State.PUBLISHED)),
            removed=Count("pk", filter=Q(state=State.REMOVED)),
            pending=Count("pk", filter=Q(state=State.PENDING)),
        )
        recent = (
            XtdComment.objects.filter(user=reader.user)
            .select_related("moderation__decided_by")
            .prefetch_related("content_object")
            .order_by("-submit_date")[:10]
        )
        context.setdefault("form", ReaderStatusForm(reader=reader))
        context.update(
            title=f"Reader: {reader.display_name}",
            layout="moderation/fragment.html"
            if wants_fragment(self.request)
            else "admin/base_site.html",
            record=record,
            recent=recent,
            history=reader.history.select_related("changed_by")[:10],
        )
        return desk_context(self.request, **context)
