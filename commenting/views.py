from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, ListView, RedirectView, TemplateView, UpdateView
from django_comments_xtd.models import XtdComment

from articles.models import Article
from discussion.forms import DisplayNameForm
from discussion.models import (
    CommentModeration,
    ModerationPolicy,
    ReaderProfile,
    StoryFollow,
    public_name,
)
from discussion.moderation import closed_reason
from discussion.services import CommentNudged, comments_on, post_comment, report_comment
from newsroom.ratelimit import client_address, exceeded, too_many_requests

from .forms import CommentForm, EditCommentForm, ReportForm
from .services import (
    CommentRefused,
    delete_comment,
    edit_comment,
    edit_minutes_left,
    edit_refusal,
    recommend_comment,
    refuse_unless_reader_may_comment,
    withdraw_recommendation,
)
from .threads import (
    ORDERS,
    discussion_page,
    editors_picks,
    offer_own_actions,
    recommendation_count,
    wear_badges,
)

MAX_DEPTH = settings.COMMENTS_XTD_MAX_THREAD_LEVEL


def discussion_context(request, article):
    """What the discussion under a story needs: Editors' picks, threads, and the form or
    why there is none."""
    order = request.GET.get("comments", "oldest")
    order = order if order in ORDERS else "oldest"
    page_obj, entries = discussion_page(
        article=article, user=request.user, order=order, page=request.GET.get("cpage", 1)
    )
    picks = editors_picks(article=article, page_obj=page_obj, order=order)
    wear_badges([*picks, *entries])
    policy = ModerationPolicy.current()
    context = {
        "editors_picks": picks,
        "comment_page": page_obj,
        "comment_entries": entries,
        "comment_order": order,
        "comment_orders": ORDERS,
        "max_reply_depth": MAX_DEPTH,
        "comments_closed": closed_reason(article, policy),
    }
    if request.user.is_authenticated:
        offer_own_actions(entries, user=request.user, policy=policy)
        outcomes = placed_outcomes(request)
        for entry in entries:
            entry.outcomes = outcomes.pop(f"c{entry.comment.pk}", [])
        context["outcomes"] = outcomes
    if request.user.is_authenticated and not context["comments_closed"]:
        try:
            refuse_unless_reader_may_comment(user=request.user, article=article, policy=policy)
        except CommentRefused as refusal:
            context["comment_refusal"] = str(refusal)
        else:
            parent = _replying_to(request, entries)
            initial = {"reply_to": parent.pk} if parent else {}
            context["comment_form"] = CommentForm(article, initial=initial)
            context["replying_to"] = parent
            context["follows_story"] = StoryFollow.objects.follows(request.user, article)
            context["form_outcomes"] = context["outcomes"].pop(AT_FORM, [])
            # Whoever may write in the discussion may recommend in it.
            context["may_recommend"] = True
    return context


# Marks a message as the outcome of what the reader did at one place of the
# discussion (a comment, or the form); its other tag is that place's anchor.
PLACED = "placed"
AT_FORM = "comment-form"


def tell_at(request, level, message, *, anchor: str) -> None:
    """Leave the outcome of what the reader did for the place they did it: the thread shows
    it inside the comment (or form) with this anchor, not at the top of the page."""
    messages.add_message(request, level, message, extra_tags=f"{PLACED} {anchor}")


def placed_outcomes(request) -> dict[str, list]:
    """The messages left by tell_at, by anchor (reading them marks them shown)."""
    placed = {}
    for message in messages.get_messages(request):
        tags = message.extra_tags.split()
        if PLACED in tags:
            anchor = next((tag for tag in tags if tag != PLACED), AT_FORM)
            placed.setdefault(anchor, []).append(message)
    return placed


def _replying_to(request, entries):
    """The comment named by ?reply_to= if it is on this page and can take a reply."""
    reply_to = request.GET.get("reply_to", "")
    for entry in entries:
        comment = entry.comment
        if str(comment.pk) == reply_to and entry.shown and comment.level < MAX_DEPTH:
            return comment
    return None


def tell_outcome(request, *, comment, article, done: str, refused_at: str = ""):
    """Send the reader back to their comment, told there where it stands after `done`
    ("Your comment", "Your edit"): published, waiting and why, or refused and why (at
    the anchor `refused_at`, if given: a new comment refused is not shown)."""
    moderation = comment.moderation
    anchor = f"c{comment.pk}"
    if moderation.state == CommentModeration.State.PUBLISHED:
        tell_at(request, messages.SUCCESS, f"{done} is published.", anchor=anchor)
    elif moderation.state == CommentModeration.State.PENDING:
        tell_at(
            request,
            messages.INFO,
            f"Thank you. {done} is waiting for a moderator: {moderation.reason}",
            anchor=anchor,
        )
    else:
        anchor = refused_at or anchor
        refused = f"{done} was not published: {moderation.reason}"
        tell_at(request, messages.ERROR, refused, anchor=anchor)
    return redirect(f"{article.get_absolute_url()}#{anchor}")


class PostCommentView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug):
        if exceeded(request, "comment", settings.NEWSROOM_RATE_LIMITS["comment"]):
            return too_many_requests(request, "comments")
        # A form opened before the story's slug changed still posts to the old address.
        article = get_object_or_404(
            Article.objects.published().at_address(slug).select_related("section")
        )
        form = CommentForm(article, data=request.POST)
        if (not form.is_valid() and form.forged()) or not form.is_for(article):
            return render(request, "400.html", status=400)
        if not form.is_valid():
            return self.problem(article, form)
        try:
            policy = ModerationPolicy.current()
            reader = refuse_unless_reader_may_comment(
                user=request.user, article=article, policy=policy
            )
            parent = self.parent_for(article, form.cleaned_data["reply_to"])
        except CommentRefused as refusal:
            return self.problem(article, form, refusal=str(refusal), status=403)
        try:
            comment = post_comment(
                article=article,
                reader=reader,
                text=form.cleaned_data["comment"],
                parent=parent,
                follow=form.cleaned_data["followup"],
                submission_key=form.cleaned_data["submission_key"],
                ip_address=client_address(request),
                policy=policy,
                nudge=not form.was_nudged(),
            )
        except CommentNudged as nudge:
            return self.problem(article, form, nudge=str(nudge))
        return tell_outcome(
            request, comment=comment, article=article, done="Your comment", refused_at=AT_FORM
        )

    @staticmethod
    def parent_for(article, reply_to):
        if not reply_to:
            return None
        parent = (
            comments_on(article.pk)
            .filter(pk=reply_to, moderation__state=CommentModeration.State.PUBLISHED)
            .first()
        )
        if parent is None:
            raise CommentRefused("The comment you replied to is no longer shown.")
        if parent.level >= MAX_DEPTH:
            raise CommentRefused(
                f"Replies go {MAX_DEPTH + 1} levels deep; reply to an earlier comment in "
                "this thread instead."
            )
        return parent

    def problem(self, article, form, refusal=None, nudge=None, status=200):
        """Show the reader what went wrong with their text intact, on a fresh form.

        A nudge hands the form back marked, so that its next submit is sent.
        """
        fresh = CommentForm(
            article,
            initial={
                "comment": form.data.get("comment", ""),
                "reply_to": form.data.get("reply_to", 0),
                "followup": bool(form.data.get("followup")),
                "submission_key": form.data.get("submission_key") or None,
                # A writer nudged once is not nudged again for fixing another problem.
                "nudged": form.data.get("nudged", ""),
            },
        )
        if fresh.initial["submission_key"] is None:
            del fresh.initial["submission_key"]
        if nudge:
            fresh.initial["nudged"] = CommentForm.nudged_mark(form.cleaned_data["submission_key"])
        errors = [] if refusal or nudge else [e for field in form.errors.values() for e in field]
        if form.expired():
            errors = [
                "The form was open too long and has expired. Your text is below; post it again."
            ]
        return render(
            self.request,
            "commenting/comment_problem.html",
            {
                "article": article,
                "comment_form": fresh,
                "errors": errors,
                "refusal": refusal,
                "nudge": nudge,
            },
            status=status,
        )


class ReportCommentView(LoginRequiredMixin, FormView):
    form_class = ReportForm
    template_name = "commenting/report.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.comment = get_object_or_404(
                XtdComment.objects.select_related("moderation"),
                pk=kwargs["pk"],
                moderation__state=CommentModeration.State.PUBLISHED,
            )
            self.article = get_object_or_404(
                Article.objects.visible_to(request.user), pk=self.comment.object_pk
            )
            if self.comment.user_id == request.user.pk:
                raise Http404("Readers cannot report their own comments.")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if exceeded(request, "report", settings.NEWSROOM_RATE_LIMITS["report"]):
            return too_many_requests(request, "reports")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(comment=self.comment, article=self.article, **kwargs)

    def form_valid(self, form):
        recorded = report_comment(
            comment=self.comment,
            reporter=self.request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        anchor = f"c{self.comment.pk}"
        if recorded:
            tell_at(
                self.request,
                messages.SUCCESS,
                "Reported. Thank you. A moderator will look at the comment.",
                anchor=anchor,
            )
        else:
            already = "You have already reported this comment."
            tell_at(self.request, messages.INFO, already, anchor=anchor)
        return redirect(f"{self.article.get_absolute_url()}#{anchor}")


class OwnCommentMixin(LoginRequiredMixin):
    """A view of one of the signed-in reader's own comments on a story they can open."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.comment = get_object_or_404(
                XtdComment.objects.select_related("moderation", "user__reader"),
                pk=kwargs["pk"],
                content_type=ContentType.objects.get_for_model(Article),
            )
            self.article = get_object_or_404(
                Article.objects.visible_to(request.user).select_related("section"),
                pk=self.comment.object_pk,
            )
            if self.comment.user_id != request.user.pk:
                raise PermissionDenied("Only its author can edit or delete a comment.")
            limits = settings.NEWSROOM_RATE_LIMITS["edit"]
            if request.method == "POST" and exceeded(request, "edit", limits):
                return too_many_requests(request, "edits and deletions")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(comment=self.comment, article=self.article, **kwargs)


class EditCommentView(OwnCommentMixin, FormView):
    form_class = EditCommentForm
    template_name = "commenting/edit_comment.html"

    def get_initial(self):
        return {"comment": self.comment.comment}

    def get_context_data(self, **kwargs):
        policy = ModerationPolicy.current()
        kwargs.setdefault("refusal", edit_refusal(self.comment, policy))
        kwargs["minutes_left"] = edit_minutes_left(self.comment, policy)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        text = form.cleaned_data["comment"]
        try:
            edit_comment(comment=self.comment, by=self.request.user, text=text)
        except CommentRefused as refusal:
            return self.render_to_response(
                self.get_context_data(form=form, refusal=str(refusal)), status=403
            )
        return tell_outcome(
            self.request, comment=self.comment, article=self.article, done="Your edit"
        )


class DeleteCommentView(OwnCommentMixin, TemplateView):
    """A confirmation page, whose form deletes the comment."""

    template_name = "commenting/delete_comment.html"

    def post(self, request, *args, **kwargs):
        try:
            delete_comment(comment=self.comment, by=request.user)
        except CommentRefused as refusal:
            return self.render_to_response(self.get_context_data(refusal=str(refusal)), status=403)
        anchor = f"c{self.comment.pk}"
        tell_at(request, messages.SUCCESS, "Your comment is deleted.", anchor=anchor)
        return redirect(f"{self.article.get_absolute_url()}#{anchor}")


class RecommendCommentView(LoginRequiredMixin, View):
    """Recommend a comment, or take the recommendation back (`action`), by form or by fetch.

    Two explicit actions rather than a toggle: a double click recommends once
    and is told so, instead of taking the recommendation straight back. A
    form is answered with a redirect to the comment, the outcome told there; a request
    asking for JSON (commenting/recommend.js) with the new count.
    """

    http_method_names = ["post"]
    actions = {"recommend": recommend_comment, "withdraw": withdraw_recommendation}

    def post(self, request, pk):
        if exceeded(request, "recommend", settings.NEWSROOM_RATE_LIMITS["recommend"]):
            if self.wants_json():
                return JsonResponse(
                    {"error": "Too many recommendations in a short time; wait a minute."},
                    status=429,
                )
            return too_many_requests(request, "recommendations")
        comment = get_object_or_404(XtdComment.objects.select_related("user__reader"), pk=pk)
        article = get_object_or_404(Article.objects.visible_to(request.user), pk=comment.object_pk)
        action = self.actions.get(request.POST.get("action", ""))
        if action is None:
            return render(request, "400.html", status=400)
        try:
            count = action(comment=comment, reader=request.user)
        except CommentRefused as refusal:
            return self.answer(article, comment, error=str(refusal))
        recommended = action is recommend_comment
        return self.answer(article, comment, recommended=recommended, count=count)

    def wants_json(self):
        return self.request.headers.get("Accept", "").startswith("application/json")

    def answer(self, article, comment, *, error="", recommended=False, count=0):
        if self.wants_json():
            if error:
                return JsonResponse({"error": error}, status=409)
            return JsonResponse(
                {
                    "recommended": recommended,
                    "count": count,
                    "label": recommendation_count(count),
                }
            )
        anchor = f"c{comment.pk}"
        if error:
            tell_at(self.request, messages.ERROR, error, anchor=anchor)
        elif recommended:
            done = f"You recommend the comment by {public_name(comment.user)}."
            tell_at(self.request, messages.SUCCESS, done, anchor=anchor)
        else:
            done = f"You no longer recommend the comment by {public_name(comment.user)}."
            tell_at(self.request, messages.INFO, done, anchor=anchor)
        # Back to the page of threads the reader was on, in their order.
        back = self.request.POST.get("next", "")
        if not (
            back.startswith(article.get_absolute_url())
            and url_has_allowed_host_and_scheme(back, allowed_hosts={self.request.get_host()})
        ):
            back = article.get_absolute_url()
        return redirect(f"{back}#{anchor}")


class MyCommentsView(LoginRequiredMixin, ListView):
    template_name = "commenting/my_comments.html"
    context_object_name = "comments"
    paginate_by = 20

    def get_queryset(self):
        return (
            XtdComment.objects.filter(user=self.request.user)
            .select_related("moderation")
            # A story the reader can no longer open is left unnamed.
            .prefetch_related(
                GenericPrefetch("content_object", [Article.objects.visible_to(self.request.user)])
            )
            .order_by("-submit_date")
        )


class DisplayNameView(LoginRequiredMixin, UpdateView):
    form_class = DisplayNameForm
    template_name = "commenting/display_name.html"

    def get_object(self, queryset=None):
        return ReaderProfile.objects.filter(user=self.request.user).first() or ReaderProfile(
            user=self.request.user
        )

    def form_valid(self, form):
        messages.success(self.request, "Your display name is saved.")
        return super().form_valid(form)

    def get_success_url(self):
        next_url = self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={self.request.get_host()}):
            return next_url
        return reverse("commenting:my-comments")


@method_decorator(never_cache, name="dispatch")
class CommentedStoryRedirectView(RedirectView):
    """Where django-comments' permalinks lead (/comments/cr/<content type>/<id>/): the
    story, for a visitor who may open it; anything else is a 404.

    Comments hang on stories only. contenttypes' `shortcut` redirected to any object
    with an address, so counting ids found the addresses of drafts and the story of
    each pending or removed comment.
    """

    def get_redirect_url(self, content_type_id, object_id):
        if content_type_id != ContentType.objects.get_for_model(Article).pk:
            raise Http404("Comment links lead to stories only.")
        stories = Article.objects.visible_to(self.request.user)
        return get_object_or_404(stories, pk=object_id).get_absolute_url()
