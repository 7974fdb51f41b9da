"""The SEO score on hand-made articles whose breakdown is known."""

from igny8.publishing.optimizer import Article, fixes, score_article
from igny8.publishing.optimizer.text import flesch_reading_ease, syllables

SIMPLE = "The cat sat on the mat."  # 6 one-syllable words, one sentence: ease 116.1

GOOD = Article(
    title="Cold brew coffee at home",
    html=(
        "<p>Cold brew coffee is easy. You need a jar and time. "
        '<a href="https://example.com/grind">Grind</a> the beans.</p>'
        "<h2>Beans</h2><p>Pick a dark roast for cold brew coffee.</p>"
        '<h2>Steep</h2><p>Let it sit for a day. <a href="/filters">Filter</a> it well.</p>'
        '<img src="a.png" alt="A jar of cold brew">'
    ),
    meta_title="Cold brew coffee at home: the easy way",  # 38 chars
    meta_description=(
        "Cold brew coffee at home needs a jar, coarse beans and a day of patience. "
        "Here is how to steep, filter and keep it cold."
    ),  # 120 chars
    primary_keyword="cold brew coffee",
    secondary_keywords=["dark roast", "filter", "ice cubes"],
    target_words=35,
    site_hosts=("example.com",),
)


def test_text_helpers():
    assert [syllables(w) for w in ["cat", "coffee", "table", "make", "readability"]] == [1, 2, 2, 1, 5]
    assert flesch_reading_ease(SIMPLE) == 116.1
    assert flesch_reading_ease("") == 0.0


def test_a_good_article_scores_full_marks_except_coverage():
    score = score_article(GOOD)
    assert len(GOOD.meta_description) == 120
    assert score.points() == {
        "title_keyword": 10,
        "h1_keyword": 5,
        "intro_keyword": 10,
        "meta_title_keyword": 5,
        "meta_description_keyword": 5,
        "secondary_coverage": 7,  # 2 of 3: "ice cubes" missing
        "headings": 10,
        "length": 15,  # 33 words for 35 (94 %)
        "readability": 10,
        "meta_lengths": 10,
        "image_alts": 5,
        "internal_links": 5,
    }
    assert score.total == 97
    assert score.checks[5].detail == "2 of 3 secondary keywords used. Missing: ice cubes."
    assert score.checks[7].detail == "33 words for a target of 35."


def test_a_poor_article_scores_what_it_earns():
    article = Article(
        title="Some thoughts",
        html=(
            "<h1>Thoughts</h1><p>Notwithstanding considerable organisational complexity, "
            "multifaceted caffeination methodologies necessitate deliberation.</p>"
            "<h2>One</h2><h4>Deep</h4><h1>Again</h1><img src='x.png'><img src='y.png' alt='y'>"
            '<a href="https://other.org/">elsewhere</a>'
        ),
        meta_title="Short",
        meta_description="",
        primary_keyword="cold brew",
        secondary_keywords=[],
        target_words=100,
        site_hosts=("example.com",),
    )
    score = score_article(article)
    assert score.points() == {
        "title_keyword": 0,
        "h1_keyword": 0,
        "intro_keyword": 0,
        "meta_title_keyword": 0,
        "meta_description_keyword": 0,
        "secondary_coverage": 10,  # none asked for
        "headings": 0,  # one H2, H2 -> H4 skipped, two H1
        "length": 2,  # 14 words of 100: round(15 * 0.14 / 0.9)
        "readability": 0,
        "meta_lengths": 0,
        "image_alts": 2,  # 1 of 2: round(2.5) -> 2 (banker's rounding)
        "internal_links": 0,
    }
    assert score.total == 14
    assert (
        score.checks[6].detail
        == "1 H2 heading(s); use at least 2; a heading level is skipped (e.g. H2 to H4); more than one H1."
    )


def test_no_primary_keyword_and_over_length():
    article = Article(title="x", html="<p>" + "word " * 400 + "</p>", target_words=100)
    score = score_article(article)
    assert score.checks[0].detail == "No primary keyword is set for this article."
    assert score.points()["length"] == 10
    assert score.points()["image_alts"] == 0


def test_deterministic_fixes():
    out = fixes.apply(
        title="How to make cold brew at home without special gear or any fuss at all",
        html="<p>" + "Steep coarse grounds in cold water overnight. " * 5 + "</p><img src='a.png'>",
        meta_title_now="",
        meta_description_now="",
        keyword="cold brew",
    )
    assert out["meta_title"] == "How to make cold brew at home without special gear or any…"
    assert len(out["meta_title"]) == 58
    assert (
        out["meta_description"]
        == "Cold brew: " + "Steep coarse grounds in cold water overnight. " * 3 + "Steep…"
    )
    assert len(out["meta_description"]) == 155
    assert 'alt="How to make cold brew' in out["html"]
    assert out["fixes"] == ["meta title", "meta description", "1 image alt text(s)"]
