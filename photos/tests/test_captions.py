"""Spotting a caption that ends with its own credit line, over real wire caption endings."""

import pytest

from photos.captions import credit_repeated_in, without_repeated_credit

SCENE = "Smoke rises over the port of Keelung, Taiwan, on March 3, 2026."


@pytest.mark.parametrize(
    ("ending", "credit"),
    [
        ("(Photo by Kevin Frayer/Getty Images)", "Kevin Frayer/Getty Images"),
        ("(Photo by Kevin Frayer/Getty Images).", "Kevin Frayer/Getty Images"),
        ("(PHOTO BY KEVIN FRAYER / GETTY IMAGES)", "Kevin Frayer/Getty Images"),
        ("(Photo by  Kevin\nFrayer/Getty Images)", "Kevin Frayer / Getty Images"),
        ("(Photo: Kevin Frayer/Getty Images)", "Kevin Frayer/Getty Images"),
        ("(AP Photo/Chiang Ying-ying)", "AP Photo/Chiang Ying-ying"),
        ("Photo: Jo Example", "Jo Example"),
        ("Photograph: Jo Example/Harbour Wire", "Jo Example/Harbour Wire"),
        ("Picture by Jo Example", "jo example"),
        ("— Jo Example", "Jo Example"),
        ("– Jo Example/Harbour Wire", "Jo Example/Harbour Wire"),
        ("REUTERS/Issei Kato", "REUTERS/Issei Kato"),
        ("REUTERS/Issei Kato", "Reuters"),
        # The agency alone as the credit, the photographer beside it in the caption.
        ("(Photo by Kevin Frayer/Getty Images)", "Getty Images"),
        ("Kevin Frayer/Getty Images", "Getty Images"),
    ],
)
def test_a_caption_ending_with_its_credit_is_spotted_and_the_ending_can_be_dropped(ending, credit):
    caption = f"{SCENE} {ending}\n"
    assert credit_repeated_in(caption, credit) == ending
    assert without_repeated_credit(caption, credit) == SCENE


@pytest.mark.parametrize(
    ("caption", "credit"),
    [
        # The credit named inside the caption, not at its end.
        (f"Photographers from Getty Images wait. {SCENE}", "Getty Images"),
        # A credit's words at the end of a sentence that goes on being the caption.
        ("Crowds cheer the result, said the AP.", "AP"),
        ("Staff at Reuters House leave the building.", "Reuters"),
        # Another credit at the end.
        (f"{SCENE} (Photo by Lin Mei/Harbour Wire)", "Kevin Frayer/Getty Images"),
        # Part of a name is not the name.
        (f"{SCENE} (Photo by Jo Examples)", "Jo Example"),
        (f"{SCENE}", ""),
        ("", "Jo Example"),
    ],
)
def test_captions_that_do_not_end_with_their_credit_are_left_alone(caption, credit):
    assert credit_repeated_in(caption, credit) == ""
    assert without_repeated_credit(caption, credit) == caption


def test_a_caption_that_is_only_the_credit_is_all_repetition():
    assert credit_repeated_in("Jo Example/Harbour Wire", "Jo Example/Harbour Wire")
    assert without_repeated_credit("Jo Example/Harbour Wire", "Jo Example/Harbour Wire") == ""


def test_a_credit_with_pattern_characters_is_matched_literally():
    caption = f"{SCENE} (Photo by J. Doe (Staff)+)"
    assert credit_repeated_in(f"{SCENE} Photo: A.B. Wire+", "A.B. Wire+") == "Photo: A.B. Wire+"
    assert credit_repeated_in(caption, "J.*") == ""
