"""Labelled groups for lawn_holdout.csv (bench/data/make_niche_sets.py writes it): lawn care,
written after the fourth round of rule changes (which studied skincare_holdout.csv's errors) was
committed and before this set was ever clustered: the held-out set of the final rules. Near misses
on purpose: mower kinds (electric / gas / riding / robot / push reel), yard size, grass seed for
shade vs sun vs dogs, fertilizer by season, weeds vs moss vs grubs, how-tos that share the words
(when to mow, how short, aerate, overseed), services near me, buying, price tier, brands."""

BEST = "{best|top|top rated|good}"

LAWN_GROUPS: dict[str, list[str]] = {
    # --- mower kinds ---------------------------------------------------------------------------
    "mower/electric": [
        f"{BEST} {{electric|cordless|battery}} lawn {{mower|mowers}}",
        "{electric|cordless} lawn mower {reviews|2025}",
    ],
    "mower/gas": [
        f"{BEST} gas lawn {{mower|mowers}}",
        "gas {lawn mower|push mower} {reviews|2025}",
    ],
    "mower/riding": [
        f"{BEST} riding lawn {{mower|mowers}}",
        "riding mower {reviews|2025|for the money}",
        "{best|top} lawn tractor",
    ],
    "mower/robot": [
        f"{BEST} {{robot|robotic}} lawn {{mower|mowers}}",
        "robot mower {reviews|2025}",
    ],
    "mower/reel": [
        f"{BEST} {{reel|push reel|manual reel}} {{mower|mowers}}",
        "reel mower {reviews|2025}",
    ],
    "mower/small-yard": [
        f"{BEST} lawn mower for {{small yards|a small yard|small lawns}}",
        "small yard mower {reviews|2025}",
    ],
    "mower/hills": [
        f"{BEST} lawn mower for {{hills|slopes|steep hills}}",
        "mower for {hills|slopes} {reviews|2025}",
    ],
    # --- grass seed ---------------------------------------------------------------------------
    "seed/shade": [
        f"{BEST} grass seed for {{shade|shady areas|shaded lawns}}",
        "shade grass seed {reviews|2025}",
    ],
    "seed/sun": [
        f"{BEST} grass seed for {{full sun|sunny areas|hot climates}}",
        "full sun grass seed {reviews|2025}",
    ],
    "seed/dogs": [
        f"{BEST} grass {{for dogs|seed for dogs}}",
        "dog {friendly|resistant} grass {seed|types}",
    ],
    # --- fertilizer --------------------------------------------------------------------------
    "fertilizer/spring": [
        f"{BEST} {{lawn fertilizer|fertilizer}} for spring",
        "spring lawn fertilizer {schedule|2025}",
    ],
    "fertilizer/fall": [
        f"{BEST} {{lawn fertilizer|fertilizer}} for fall",
        "fall lawn fertilizer {schedule|2025}",
        "{best|top} winterizer fertilizer",
    ],
    "fertilizer/organic": [
        f"{BEST} organic lawn {{fertilizer|fertilizers}}",
        "organic lawn fertilizer {reviews|2025}",
    ],
    # --- problems ----------------------------------------------------------------------------
    "problem/weeds": [
        "how to get rid of weeds in {lawn|grass|your lawn}",
        "{kill|killing} weeds {in lawn|without killing grass}",
        f"{BEST} weed killer for lawns",
    ],
    "problem/moss": [
        "how to get rid of moss in {lawn|grass|your lawn}",
        "{kill|killing} moss in lawn {naturally|}",
        "why is moss growing in my lawn",
    ],
    "problem/grubs": [
        "how to get rid of {grubs|lawn grubs} {in lawn|}",
        "{signs of|treating} grubs in lawn",
    ],
    "problem/brown-patches": [
        "{brown patches|dead patches|brown spots} in lawn {causes|fix|}",
        "why is my lawn turning brown",
    ],
    # --- how-tos sharing the words --------------------------------------------------------------
    "how/when-mow": [
        "{when|what time} {to mow|should i mow} {the lawn|my lawn|grass}",
        "best time of day to mow {the lawn|grass}",
    ],
    "how/mow-height": [
        "how {short|high} to {cut|mow} grass",
        "{best|ideal} mowing height for {grass|lawn}",
    ],
    "how/aerate": [
        "how to aerate {a lawn|your lawn|lawn}",
        "when to aerate {lawn|your lawn}",
        "{core|spike} aeration {vs|or} {spike|core} aeration",
    ],
    "how/overseed": [
        "how to overseed {a lawn|your lawn|lawn}",
        "when to overseed {lawn|your lawn|in fall}",
    ],
    "how/mower-maintenance": [
        "how to sharpen {lawn mower blades|a mower blade|mower blades}",
        "how to change {lawn mower oil|oil in a lawn mower}",
    ],
    # --- services and buying --------------------------------------------------------------------
    "service/lawn-care": [
        "{lawn care|lawn service|lawn mowing service} near me",
        "{lawn care|lawn mowing} {companies|services} near me",
    ],
    "service/mower-repair": [
        "{lawn mower|mower} repair {near me|shop near me}",
        "{small engine|lawn mower} repair {shop|service} near me",
    ],
    "buy/mower-sale": [
        "lawn mower {sale|deals|clearance|discount}",
        "{black friday|memorial day} lawn mower {sale|deals}",
    ],
    "price/budget-mower": [
        "{best|good} {cheap|budget|affordable} lawn mower",
        "lawn mowers under {200|$300}",
    ],
    # --- brands ------------------------------------------------------------------------------
    "brand/ego": [
        "ego {lawn mower|mower} {review|reviews}",
        "ego {self propelled|select cut} mower",
    ],
    "brand/honda": [
        "honda {lawn mower|mower} {review|reviews}",
        "honda {hrx|hrn} mower",
    ],
}
