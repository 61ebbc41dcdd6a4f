"""The abuse classifier: a comment's text scored from 0 (clean) to 1 (abusive), on this server.

The model is alt-profanity-check's: a TF-IDF vectorizer and a linear SVM
calibrated in five folds (scikit-learn's CalibratedClassifierCV, sigmoid
method), both inside its wheel, so nothing is ever downloaded. Its own
`predict_proba` takes ~8 ms for one comment here, nearly all of it
scikit-learn's input checks repeated for each fold; the five folds are linear,
so `score` stacks them into one matrix at load and computes the same
probabilities with one sparse product (test_classifier checks they agree).

The model knows words, not spellings: "1d10t", "f*ck" and "i d i o t" are
unknown tokens to it. `normalise` turns such tokens back into the abusive word
they hide, and only when they hide one of the words the model itself weighs as
abusive, so ordinary text reaches the model unchanged.
"""

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.special import expit

# A vocabulary word the model weighs at least this much toward "abusive" is
# one an obfuscated token may be read as (about 140 words: the profanities,
# slurs and insults; milder words such as "ridiculous" sit near 2).
ABUSIVE_WEIGHT = 2.3

# Characters written for the letters they look like.
LEET = str.maketrans("013457@$!|", "oieastasil")
# Characters written in place of letters the writer leaves out ("f*ck", "sh#t").
MASKS = "*#_.-"
# Three or more single letters, each followed by one separator: "i d i o t", "f.u.c.k".
SPACED_LETTERS = re.compile(r"(?<!\w)(?:[^\W\d_][ .\-_*]){2,}[^\W\d_](?!\w)")
# Anything between spaces; punctuation around it is taken off before reading it.
TOKEN = re.compile(r"\S+")
EDGE_PUNCTUATION = "\"'“”‘’()[]{},.;:?!"
OBFUSCATED = re.compile(rf"[\d@$!|{re.escape(MASKS)}]|(\w)\1\1")


@dataclass(frozen=True)
class Model:
    vectorizer: object
    weights: np.ndarray  # vocabulary × folds: each fold's SVM coefficients
    intercepts: np.ndarray  # per fold
    slopes: np.ndarray  # per fold: the sigmoid calibration's a and b
    offsets: np.ndarray
    abusive_by_length: dict[int, list[str]]  # strongest first
    abusive_by_skeleton: dict[str, str]  # "ashole" → "asshole"


@cache
def model() -> Model:
    """The model, loaded on first use and kept for the life of the process (~2 s to load)."""
    # Importing the package is what loads its joblib files, hence here and not at the top.
    from profanity_check import profanity_check

    folds = profanity_check.model.calibrated_classifiers_
    weights = np.column_stack([fold.estimator.coef_[0] for fold in folds])
    mean_weight = weights.mean(axis=1)
    vocabulary = profanity_check.vectorizer.vocabulary_
    abusive = sorted(
        (word for word, column in vocabulary.items() if mean_weight[column] >= ABUSIVE_WEIGHT),
        key=lambda word: -mean_weight[vocabulary[word]],
    )
    by_length: dict[int, list[str]] = {}
    by_skeleton: dict[str, str] = {}
    for word in abusive:
        by_length.setdefault(len(word), []).append(word)
        by_skeleton.setdefault(skeleton(word), word)
    return Model(
        vectorizer=profanity_check.vectorizer,
        weights=weights,
        intercepts=np.array([fold.estimator.intercept_[0] for fold in folds]),
        slopes=np.array([fold.calibrators[0].a_ for fold in folds]),
        offsets=np.array([fold.calibrators[0].b_ for fold in folds]),
        abusive_by_length=by_length,
        abusive_by_skeleton=by_skeleton,
    )


def skeleton(word: str) -> str:
    """The word with each run of a repeated letter written once ("fuuuck" → "fuck")."""
    return re.sub(r"(.)\1+", r"\1", word)


def score(text: str, *, normalised: bool = True) -> float:
    """How likely the text is abusive, from 0 to 1 (`normalised=False` skips `normalise`)."""
    loaded = model()
    features = loaded.vectorizer.transform([normalise(text) if normalised else text])
    decisions = (features @ loaded.weights)[0] + loaded.intercepts
    return float(expit(-(loaded.slopes * decisions + loaded.offsets)).mean())


def normalise(text: str) -> str:
    """The text with obfuscated abusive words written out, everything else as it was."""
    text = SPACED_LETTERS.sub(_join_spaced_letters, text)
    return TOKEN.sub(_read_token, text)


def _join_spaced_letters(match: re.Match) -> str:
    letters = re.sub(r"[ .\-_*]", "", match[0])
    return _abusive_word(letters) or match[0]


def _read_token(match: re.Match) -> str:
    token = match[0]
    core = token.strip(EDGE_PUNCTUATION)
    # A figure ("45", "$455") is a figure even when its digits look like letters.
    if not OBFUSCATED.search(core) or not any(c.isalpha() for c in core):
        return token
    word = _abusive_word(core)
    return token.replace(core, word) if word else token


def _abusive_word(token: str) -> str | None:
    """The abusive word the token spells with digits, symbols, masks or stretched letters."""
    loaded = model()
    decoded = token.lower().translate(LEET)
    if decoded.isalpha():
        return loaded.abusive_by_skeleton.get(skeleton(decoded))
    if not (decoded[0].isalpha() and decoded[-1].isalpha()):
        return None
    # Masked letters: the strongest abusive word of the same length with the same visible letters.
    pattern = re.compile("".join("." if c in MASKS else re.escape(c) for c in decoded))
    for word in loaded.abusive_by_length.get(len(decoded), []):
        if pattern.fullmatch(word):
            return word
    return None
