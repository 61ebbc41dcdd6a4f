import subprocess
import sys

import pytest
from profanity_check import predict_prob

from screening.classifier import model, normalise, score
from screening.labelled import labelled_comments

COMMENTS = labelled_comments()
TEXTS = {c.text for c in COMMENTS}
HOLD_AT = 0.8  # the policy's default threshold


@pytest.mark.parametrize(
    "text",
    [
        "I think the club should keep the manager for another season. Three bad months after "
        "two good years is not a crisis.",
        "The trade minister has misled parliament twice this year about the steel talks, and "
        "she should resign.",
        "Lazy journalism. You copied the club's press release and called it an interview.",
        "The court's reasoning is idiotic: by this logic no tenant can ever challenge a rent rise.",
    ],
)
def test_civil_comments_from_the_set_pass(text):
    assert text in TEXTS
    assert score(text) < HOLD_AT


@pytest.mark.parametrize(
    "text",
    [
        "Shut up, you moron. Nobody asked for your opinion.",
        "The minister is a stupid cunt.",
        "Send the niggers back where they came from.",
        "The chairman is an a55hole.",
        "i d i o t",
        "F**k off, you tw@t.",
    ],
)
def test_abusive_comments_from_the_set_are_held(text):
    assert text in TEXTS
    assert score(text) >= HOLD_AT


def test_the_score_is_the_packages_own_probability():
    """The stacked folds compute what CalibratedClassifierCV.predict_proba does."""
    texts = [c.text for c in COMMENTS]
    ours = [score(text, normalised=False) for text in texts]
    assert ours == pytest.approx(list(predict_prob(texts)), abs=1e-9)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("What an 1d10t", "What an idiot"),
        ("i d i o t", "idiot"),
        ("f.u.c.k this", "fuck this"),
        ("you f*cking clown", "you fucking clown"),
        ("a piece of sh1t.", "a piece of shit."),
        ("you a$$hole", "you asshole"),
        ("shiiiit", "shit"),
        ("(b!tch)", "(bitch)"),
    ],
)
def test_normalise_writes_out_obfuscated_abuse(written, read):
    assert normalise(written) == read


@pytest.mark.parametrize(
    "text",
    [
        "Meet at 10am on the 4th, 2026.",
        "Comment 45 of 455, up 5.5% on $45 at 4:55",  # figures are never read as letters
        "A well-known U.S. policy, sooo good",
        "I am a b c d fan",
        "Fvck the minister.",  # a spelling the pass does not know: left for the model
    ],
)
def test_normalise_leaves_other_spellings_alone(text):
    assert normalise(text) == text


def test_normalise_changes_no_clean_comment_of_the_set():
    for comment in COMMENTS:
        if not comment.abusive:
            assert normalise(comment.text) == comment.text


def test_normalising_holds_more_of_the_obfuscated_abuse():
    obfuscated = [c.text for c in COMMENTS if c.category == "obfuscated"]
    held_raw = sum(score(t, normalised=False) >= HOLD_AT for t in obfuscated)
    held = sum(score(t) >= HOLD_AT for t in obfuscated)
    assert held >= held_raw + len(obfuscated) // 2


def test_the_model_is_loaded_once():
    score("first")
    loaded = model.cache_info().misses
    score("second")
    assert model.cache_info().misses == loaded == 1
    assert model() is model()


def test_the_model_is_loaded_on_first_use_not_at_import():
    probe = (
        "import sys, screening.classifier as c; "
        "print('profanity_check' in sys.modules); c.score('hello'); "
        "print('profanity_check' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
