"""What a reader is emailed about: the switches, and the stories they follow."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView

from articles.models import Article
from commenting.services import set_notifications, unfollow_story
from discussion.models import ReaderProfile, StoryFollow
from discussion.services import follow_story


class NotificationsForm(forms.ModelForm):
    class Meta:
        model = ReaderProfile
        fields = ["notify_replies", "notify_moderation"]
        labels = {
            "notify_replies": "Replies to my comments",
            "notify_moderation": "Moderators' decisions on my comments",
        }
        help_texts = {
            "notify_replies": "An email when someone's reply to one of your comments is published.",
            "notify_moderation": "An email when a moderator removes one of your comments (with "
            "the reason) or chooses it as an editors' pick.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["aria-describedby"] = f"id_{name}_help"


class NotificationsView(LoginRequiredMixin, FormView):
    form_class = NotificationsForm
    template_name = "readers/notifications.html"
    success_url = reverse_lazy("readers:notifications")

    def get_form(self, form_class=None):
        # Staff without a reader's profile comment nowhere: only their follows are listed.
        reader = ReaderProfile.objects.filter(user=self.request.user).first()
        return None if reader is None else super().get_form(form_class)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.request.user.reader}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            follows=StoryFollow.objects.of_reader(self.request.user), **kwargs
        )

    def post(self, request, *args, **kwargs):
        if self.get_form() is None:
            return redirect(self.success_url)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        set_notifications(
            reader=form.instance,
            replies=form.cleaned_data["notify_replies"],
            moderation=form.cleaned_data["notify_moderation"],
        )
        messages.success(self.request, "Your email choices are saved.")
        return super().form_valid(form)


class FollowStoryView(LoginRequiredMixin, View):
    """Follow a story's discussion, or stop: a plain form button under the story or on the
    notifications page."""

    http_method_names = ["post"]
    follow = True

    def post(self, request, pk):
        if self.follow:
            article = get_object_or_404(Article.objects.visible_to(request.user), pk=pk)
            follow_story(reader=request.user, article=article)
            messages.success(
                request, f"You follow “{article.headline}”: we will email you every new comment."
            )
        else:
            # A story unpublished since it was followed can still be unfollowed.
            article = get_object_or_404(Article, pk=pk)
            unfollow_story(reader_id=request.user.pk, article_id=article.pk)
            messages.success(request, f"You no longer follow “{article.headline}”.")
        next_url = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            return redirect(next_url)
        return redirect(reverse("readers:notifications"))
