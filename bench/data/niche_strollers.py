"""Labelled groups for strollers_holdout.csv (bench/data/make_niche_sets.py writes it): baby
strollers and car seats, a baby-gear retail niche, written as a keyword tool export would show it
(missing apostrophes, "uppa baby" and "uppababy", years, brand and model names, "near me", reddit,
questions) before this set was ever clustered: the held-out set of issue 15's round 7. Near misses
on purpose: stroller type (jogging / all terrain / travel system / umbrella / lightweight / travel
for the airplane / double / twins), audience (newborns / toddlers / tall parents), car seat type
(infant / convertible / booster) beside the knowledge questions that share their words (when to
switch to a convertible seat, rear facing until what age, booster seat age, car seat expiration,
strollers on a plane), how-tos (install a car seat, fold a stroller, clean a car seat) beside the
local car seat inspection that shares the install words, brands (UPPAbaby Vista review, Vista vs
Cruz, Vista alternatives; Doona vs Evenflo Shyft, Doona alternatives), price (cheap / luxury),
car seat recalls, transactional (near me, deals and black friday) and a navigational product
registration. One group = the keywords one page should target."""

BEST = "{best|top rated|good|top}"
STROLLER = "{stroller|strollers}"
CAR_SEAT = "{car seat|car seats}"

STROLLER_GROUPS: dict[str, list[str]] = {
    # --- the head term ---------------------------------------------------------------------------
    "best/overall": [
        f"{BEST} {{stroller|strollers|baby stroller|baby strollers}} {{|2026|brands}}",
        "stroller {reviews|ratings|buying guide}",
        "what is the best stroller",
        "best stroller",
    ],
    # --- stroller types --------------------------------------------------------------------------
    "type/jogging": [
        f"{BEST} {{jogging stroller|jogging strollers|running stroller|jogger stroller}}",
        "{jogging|running} stroller {reviews|2026|reddit}",
        "stroller for {running|jogging|runners}",
    ],
    "type/all-terrain": [
        f"{BEST} {{all terrain stroller|all terrain strollers|off road stroller}}",
        "stroller for {gravel|the beach|grass|rough terrain|hiking trails}",
        "all-terrain stroller {reviews|2026}",
    ],
    "type/travel-system": [
        f"{BEST} {{travel system|travel systems|travel system stroller}} {{|2026}}",
        "{stroller and car seat combo|stroller car seat combo|car seat and stroller set}",
        "travel system {reviews|with infant car seat}",
    ],
    "type/umbrella": [
        f"{BEST} {{umbrella stroller|umbrella strollers}} {{|2026}}",
        "umbrella stroller {reviews|with canopy|that reclines}",
        "umbrella stroller",
    ],
    "type/lightweight": [
        f"{BEST} {{lightweight stroller|lightweight strollers|light weight stroller|lightest stroller}}",
        "lightweight stroller {reviews|2026|for everyday}",
        "lightest full size stroller",
    ],
    "type/travel": [
        f"{BEST} {{travel stroller|travel strollers|stroller for travel|stroller for airplane travel}}",
        "{airplane friendly|carry on|compact travel} stroller",
        "stroller that fits in overhead bin",
    ],
    "type/double": [
        f"{BEST} {{double stroller|double strollers|side by side double stroller|tandem stroller}}",
        "double stroller for {infant and toddler|toddler and baby|two kids|siblings}",
        "sit and stand stroller",
    ],
    "audience/twins": [
        f"{BEST} {{stroller for twins|strollers for twins|twin stroller|twin strollers}}",
        "twin stroller {with 2 car seats|for newborns|reviews}",
        "stroller for twins",
    ],
    # --- audience --------------------------------------------------------------------------------
    "audience/newborn": [
        f"{BEST} {{stroller for newborn|stroller for newborns|newborn stroller|stroller with bassinet}}",
        "{bassinet stroller|newborn pram} {|2026|reviews}",
        "stroller for newborn",
    ],
    "audience/toddler": [
        f"{BEST} {{stroller for toddlers|toddler stroller|stroller for toddler}}",
        "stroller for {3 year old|4 year old|older toddlers|big kids}",
        "toddler stroller {reviews|2026}",
    ],
    "audience/tall-parents": [
        f"{BEST} {{stroller for tall parents|stroller for tall people|stroller for tall dads}}",
        "stroller with {tall handlebar|adjustable handlebar|extendable handle}",
        "stroller for tall parents",
    ],
    # --- car seat types and the questions that share their words ---------------------------------
    "carseat/infant": [
        f"{BEST} {{infant car seat|infant car seats|rear facing infant car seat}} {{|2026}}",
        "infant car seat {reviews|with base|for small cars}",
        "best infant car seat",
    ],
    "carseat/convertible": [
        f"{BEST} {{convertible car seat|convertible car seats}} {{|2026}}",
        "convertible car seat {reviews|for small cars|rear facing}",
        "best convertible car seat",
    ],
    "carseat/booster": [
        f"{BEST} {{booster seat|booster seats|booster car seat|high back booster}} {{|2026}}",
        "{backless|high back} booster seat {reviews|for 5 year old}",
        "best booster seat",
    ],
    "info/when-convertible": [
        "when to switch to convertible car seat",
        "when to {move baby out of infant car seat|switch from infant car seat to convertible}",
        "when does baby outgrow {infant car seat|the infant car seat}",
        "how long can {a baby|baby} stay in {an infant car seat|infant car seat}",
    ],
    "info/rear-facing": [
        "rear facing until what age",
        "how long should {baby|a child|my toddler} be rear facing",
        "when can {baby|my baby|a child} face forward in {a car seat|car seat}",
        "when to turn car seat forward facing",
        "rear facing car seat {age|age limit|law}",
    ],
    "info/booster-age": [
        "when can {a child|my child|kids} {use a booster seat|switch to a booster seat}",
        "booster seat {age requirement|height and weight requirements|age and weight}",
        "when can kids stop using a booster seat",
    ],
    "info/expiration": [
        "do car seats expire",
        "car seat expiration {date|dates|by brand}",
        "{why do car seats expire|how long are car seats good for"
        "|where is the expiration date on a car seat}",
        "graco car seat expiration",
    ],
    "info/stroller-on-plane": [
        "can you bring a stroller on a plane",
        "{do strollers count as carry on|can you gate check a stroller|gate check stroller}",
        "stroller on {airplane|plane} {rules|delta|southwest}",
        "flying with a stroller",
    ],
    # --- how-tos and local service ---------------------------------------------------------------
    "how/install-car-seat": [
        "how to install a car seat",
        "how to install {infant car seat base|a car seat with a seatbelt|a rear facing car seat}",
        "{latch car seat installation|car seat installation guide|installing a car seat with latch}",
    ],
    "local/car-seat-inspection": [
        "car seat inspection near me",
        "{car seat installation|car seat check|free car seat inspection} near me",
        "{fire station car seat install|car seat technician near me|where to get car seat installed}",
    ],
    "how/fold-stroller": [
        "how to fold a stroller",
        "how to {fold|collapse|close} {a stroller|the stroller|a baby stroller}",
        "folding a stroller {one handed|step by step}",
    ],
    "how/clean-car-seat": [
        "how to clean a car seat",
        "how to {wash a car seat cover|clean car seat straps|clean a car seat buckle}",
        "{can you put car seat cover in washing machine|washing car seat cover}",
    ],
    # --- brands ----------------------------------------------------------------------------------
    "brand/vista-review": [
        "{uppababy|uppa baby} vista {review|v2 review|v3 review|reviews}",
        "is the {uppababy vista|vista v2} worth it",
        "uppababy vista review reddit",
    ],
    "compare/vista-vs-cruz": [
        "{uppababy vista vs cruz|uppababy cruz vs vista|vista vs cruz|cruz vs vista}",
        "{vista v2 vs cruz v2|vista or cruz} {|reddit}",
        "uppababy vista or cruz for city",
    ],
    "alt/vista": [
        "{uppababy vista alternative|uppababy vista alternatives|alternatives to uppababy vista}",
        "{stroller like uppababy vista but cheaper|uppababy vista dupe|cheaper than uppababy vista}",
    ],
    "compare/doona-vs-shyft": [
        "{doona vs evenflo shyft|evenflo shyft vs doona|doona vs shyft dualride|doona or shyft}",
        "doona vs evenflo shyft {reddit|dualride}",
        "is the evenflo shyft better than doona",
    ],
    "alt/doona": [
        "{doona alternative|doona alternatives|alternatives to doona|doona dupe}",
        "{cheaper alternative to doona|car seat stroller like doona|car seat stroller combo like doona}",
    ],
    # --- price -----------------------------------------------------------------------------------
    "price/cheap": [
        f"{{best|good}} {{cheap|budget|affordable|inexpensive}} {STROLLER}",
        f"{{best|}} {STROLLER} under {{100|200|$150}}",
        "cheap strollers",
    ],
    "price/luxury": [
        f"{{best|}} {{luxury|high end|designer|premium}} {STROLLER}",
        "{most expensive stroller|luxury stroller brands|is a luxury stroller worth it}",
        "luxury stroller",
    ],
    # --- safety ----------------------------------------------------------------------------------
    "safety/car-seat-recalls": [
        f"{CAR_SEAT} recall",
        "car seat {recalls 2026|recall list|recall lookup}",
        "{is my car seat recalled|graco car seat recall|check car seat recall by model number}",
    ],
    # --- transactional and navigational ----------------------------------------------------------
    "buy/near-me": [
        "stroller store near me",
        "{strollers|baby store|stroller shop|baby gear store} near me",
        "where to buy a stroller {near me|in store}",
    ],
    "buy/deals": [
        "stroller {deals|sale|sales|clearance}",
        "{black friday|cyber monday|prime day} stroller deals {|2026}",
        "{discount strollers|stroller coupon|stroller black friday}",
    ],
    "nav/uppababy-registration": [
        "uppababy registration",
        "{register uppababy stroller|uppababy product registration|uppababy warranty registration}",
        "{uppababy.com register|uppababy register car seat}",
    ],
}
