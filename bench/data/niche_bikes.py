"""Labelled groups for bikes_holdout.csv (bench/data/make_niche_sets.py writes it): bicycles and
cycling, written after the issue-15 rule changes were final and before the set was ever clustered,
so the default's figure on it is an untuned one. Near misses on purpose: audience (women / men /
kids), kind of bike (road / mountain / gravel / electric / hybrid), a condition (knee pain vs back
pain), price tier, bike size vs frame size questions, accessories beside the bikes (helmets,
locks, lights, racks), maintenance how-tos that share every word but the task, buying (near me /
sale), brands and a navigational login."""

BEST = "{best|top|top rated|good}"
BIKES = "{bikes|bicycles}"

BIKE_GROUPS: dict[str, list[str]] = {
    # --- audience near misses ---------------------------------------------------------------
    "audience/women": [
        f"{BEST} {{women's|womens|ladies}} {BIKES}",
        f"{BEST} {BIKES} for {{women|ladies}}",
        "womens bike {reviews|2025}",
    ],
    "audience/men": [
        f"{BEST} {{men's|mens}} {BIKES}",
        f"{BEST} {BIKES} for men",
        "mens bike {reviews|2025}",
    ],
    "audience/kids": [
        f"{BEST} {{kids|children's|boys|girls}} {BIKES}",
        f"{BEST} {BIKES} for {{kids|children|toddlers}}",
        "kids bike {reviews|2025}",
    ],
    "audience/seniors": [
        f"{BEST} {BIKES} for {{seniors|elderly|older adults}}",
        "bike for seniors {reviews|2025}",
    ],
    # --- kind of bike -----------------------------------------------------------------------
    "kind/road": [
        f"{BEST} road {BIKES}",
        "road bike {reviews|2025|comparison}",
        "{best|top} entry level road bike",
    ],
    "kind/mountain": [
        f"{BEST} mountain {BIKES}",
        "mountain bike {reviews|2025|comparison}",
        "{best|top} mtb {for the money|2025}",
    ],
    "kind/gravel": [
        f"{BEST} gravel {BIKES}",
        "gravel bike {reviews|2025|comparison}",
    ],
    "kind/electric": [
        f"{BEST} {{electric|e-bike|ebike}} {{bikes|bicycles|}}",
        "{electric bike|e-bike|ebike} {reviews|2025|comparison}",
    ],
    "kind/hybrid": [
        f"{BEST} hybrid {BIKES}",
        "hybrid bike {reviews|2025}",
        "{best|top} hybrid bike for commuting",
    ],
    # --- conditions ---------------------------------------------------------------------------
    "condition/knee-pain": [
        "{best|top} bike for {knee pain|bad knees}",
        "cycling with {knee pain|bad knees}",
        "bike seat height knee pain",
    ],
    "condition/back-pain": [
        "{best|top} bike for {back pain|lower back pain|bad back}",
        "cycling with {back pain|lower back pain}",
    ],
    # --- price tier ---------------------------------------------------------------------------
    "price/budget": [
        "{best|good} {cheap|budget|affordable} {bikes|bicycles}",
        "{bikes|bicycles} under {500|$500}",
    ],
    "price/premium": [
        "{best|top} {luxury|high end|premium} {road bikes|bikes|bicycles}",
        "most expensive {bikes|bicycles}",
    ],
    # --- sizing: near misses of each other ------------------------------------------------------
    "size/chart": [
        "bike size chart {by height|for height|}",
        "what size bike {do i need|for my height|should i get}",
        "how to choose bike size",
    ],
    "size/frame-measure": [
        "how to measure {bike frame size|a bike frame|frame size}",
        "{bike|bicycle} frame size measurement",
    ],
    # --- accessories beside the bikes ------------------------------------------------------------
    "gear/helmet": [
        f"{BEST} bike {{helmets|helmet}}",
        "{cycling|bicycle} helmet {reviews|2025}",
    ],
    "gear/lock": [
        f"{BEST} bike {{locks|lock}}",
        "{bicycle|u} lock {reviews|for bike}",
    ],
    "gear/lights": [
        f"{BEST} bike {{lights|light}}",
        "{bicycle|bike} {headlight|tail light} {reviews|2025}",
    ],
    "gear/rack": [
        f"{BEST} bike {{racks|rack}} for {{car|suv|hitch}}",
        "{hitch|trunk|roof} bike rack {reviews|2025}",
    ],
    # --- maintenance how-tos that share the words -------------------------------------------------
    "fix/flat": [
        "how to {fix|repair|patch} a {flat|flat tire|flat tyre} on a bike",
        "{bike|bicycle} {flat tire|puncture} repair",
    ],
    "fix/brakes": [
        "how to adjust {bike|bicycle} {brakes|disc brakes|v brakes}",
        "{bike|bicycle} brakes {squeaking|rubbing} fix",
    ],
    "fix/chain-clean": [
        "how to clean a {bike|bicycle} chain",
        "{bike|bicycle} chain cleaning {tips|guide}",
        "clean bike chain with {wd40|dish soap}",
    ],
    "fix/chain-lube": [
        "how to lube a {bike|bicycle} chain",
        "{best|top} {bike|bicycle} chain lube",
        "how often to {lube|oil} bike chain",
    ],
    "fix/gears": [
        "how to adjust {bike|bicycle} gears",
        "{bike|bicycle} gears {slipping|skipping} fix",
        "how to {index|tune} rear derailleur",
    ],
    # --- training, informational ------------------------------------------------------------
    "info/calories": [
        "how many calories does cycling burn",
        "calories burned {cycling|biking} {1 hour|30 minutes|10 miles}",
    ],
    "info/beginners": [
        "cycling tips for beginners",
        "how to start {cycling|road cycling|biking}",
        "beginner cycling {guide|training plan}",
    ],
    # --- buying -----------------------------------------------------------------------------
    "buy/near-me": [
        "{bike shop|bike store|bicycle shop|bicycle store} near me",
        "where to buy a bike {near me|nearby}",
    ],
    "buy/sale": [
        "{bike|bicycle} {sale|clearance|deals|discount}",
        "{black friday|memorial day} bike {sale|deals}",
    ],
    "buy/repair-near-me": [
        "{bike|bicycle} repair {shop|} near me",
        "bike {tune up|service} near me",
    ],
    # --- brands and navigation --------------------------------------------------------------
    "brand/trek": [
        "trek {bikes|bicycles}",
        "trek {bike|bicycle} {reviews|review}",
        "trek {domane|marlin|fx} {review|reviews}",
    ],
    "brand/specialized": [
        "specialized {bikes|bicycles}",
        "specialized {bike|bicycle} {reviews|review}",
        "specialized {allez|rockhopper|sirrus} {review|reviews}",
    ],
    "nav/strava": [
        "strava {login|log in|sign in}",
        "strava {app download|official site}",
    ],
}
