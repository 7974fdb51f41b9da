"""Labelled groups for dogfood_holdout.csv (bench/data/make_niche_sets.py writes it): dog food, a
pet-retail niche, written as a keyword tool export would show it (missing apostrophes, years, brand
names, "near me", questions) before this set was ever clustered: the held-out set of issue 15's
round 6. Near misses on purpose: life stage (puppy / large breed puppy / adult / senior), size
(small breed / large breed), condition (sensitive stomach / allergies / weight loss / kidney
disease), variant (grain free / raw / wet / fresh delivery), price (cheap), brands (a brand's
reviews, brand alternatives, brand vs brand comparisons that share a brand), how-tos that share
the life-stage words (how much to feed a puppy / a dog, how to switch dog food), knowledge
questions beside their commercial twins (is grain free bad vs best grain free, wet vs dry, when to
switch from puppy food), recalls, transactional (buy online / near me / coupons / kibble
subscription) and a navigational login. One group = the keywords one page should target."""

BEST = "{best|top rated|good|healthiest}"

DOGFOOD_GROUPS: dict[str, list[str]] = {
    # --- the head term ---------------------------------------------------------------------------
    "best/overall": [
        f"{BEST} dog food {{|brands|2026|on the market}}",
        "dog food {reviews|ratings|brands ranked}",
        "what is the {best|healthiest} dog food",
        "best dog food",
    ],
    # --- life stage ------------------------------------------------------------------------------
    "stage/puppy": [
        f"{BEST} {{puppy food|food for puppies|dry puppy food}}",
        "{best|good} dog food for {puppies|a puppy|a new puppy}",
        "puppy food {reviews|brands|2026}",
        "best puppy food",
    ],
    "stage/large-breed-puppy": [
        f"{BEST} {{large breed puppy food|puppy food for large breeds|food for large breed puppies}}",
        "large breed puppy food {reviews|brands|2026}",
        "best puppy food for big dogs",
    ],
    "stage/adult": [
        f"{BEST} {{adult dog food|dog food for adult dogs|dry food for adult dogs}}",
        "adult dog food {reviews|brands}",
        "{best|good} adult maintenance dog food",
    ],
    "stage/senior": [
        f"{BEST} {{senior dog food|dog food for senior dogs|food for older dogs}}",
        "{best|good} dog food for {old dogs|elderly dogs|older dogs}",
        "senior dog food {reviews|brands|2026}",
    ],
    # --- size ------------------------------------------------------------------------------------
    "size/small-breed": [
        f"{BEST} {{small breed dog food|dog food for small dogs|dog food for small breeds}}",
        "small breed dog food {reviews|brands|kibble}",
        "{best|good} food for {small dogs|toy breeds|little dogs}",
    ],
    "size/large-breed": [
        f"{BEST} {{large breed dog food|dog food for large dogs|dog food for big dogs}}",
        "large breed dog food {reviews|brands|2026}",
        "{best|good} food for {large breed dogs|big dogs}",
    ],
    # --- conditions ------------------------------------------------------------------------------
    "condition/sensitive-stomach": [
        f"{BEST} dog food for {{sensitive stomach|sensitive stomachs|dogs with sensitive stomachs}}",
        "dog food for {upset stomach|diarrhea|dogs with diarrhea|digestive issues}",
        "sensitive stomach dog food {reviews|brands|wet}",
        "sensitive stomach dog food",
    ],
    "condition/allergies": [
        f"{BEST} dog food for {{allergies|dogs with allergies|skin allergies|itchy skin}}",
        "hypoallergenic dog food {|for allergies|brands}",
        "dog food for {chicken allergy|food allergies|itchy dogs}",
    ],
    "condition/weight-loss": [
        f"{BEST} dog food for weight loss",
        "{low calorie|weight management|diet|light} dog food",
        "dog food for {overweight dogs|fat dogs|weight loss}",
    ],
    "condition/kidney": [
        f"{BEST} dog food for {{kidney disease|dogs with kidney disease|kidney problems|renal failure}}",
        "{renal|kidney} diet dog food {|prescription|brands}",
        "low phosphorus dog food {|brands}",
    ],
    # --- variants --------------------------------------------------------------------------------
    "variant/grain-free": [
        f"{BEST} grain free dog food {{|2026|brands}}",
        "grain free dog food {reviews|brands|dry}",
        "grain-free dog food",
    ],
    "variant/raw": [
        f"{BEST} {{raw dog food|raw dog food brands|freeze dried raw dog food|frozen raw dog food}}",
        "raw dog food {reviews|brands}",
        "{freeze dried|frozen} raw dog food brands",
    ],
    "variant/wet": [
        f"{BEST} {{wet dog food|canned dog food|wet food for dogs}}",
        "{wet|canned} dog food {brands|reviews|2026}",
        "best wet dog food",
    ],
    "variant/fresh-delivery": [
        f"{BEST} fresh dog food {{delivery|delivery service|brands|companies}}",
        "{fresh|human grade} dog food delivered",
        "{human grade|fresh cooked|refrigerated} dog food {delivery|brands}",
        "fresh dog food delivery",
    ],
    # --- price -----------------------------------------------------------------------------------
    "price/cheap": [
        "{cheap|affordable|budget|inexpensive} dog food",
        "{best|healthiest|good} {cheap|affordable|budget} dog food",
        "best dog food {for the money|on a budget|for the price}",
        "{cheap|affordable} healthy dog food",
    ],
    # --- brands ----------------------------------------------------------------------------------
    "brand/farmers-dog-review": [
        "{the farmers dog|farmers dog|the farmer's dog} {review|reviews|reddit}",
        "is {the farmers dog|farmers dog} {worth it|worth the money|good for dogs}",
        "farmers dog reviews",
    ],
    "brand/blue-buffalo-review": [
        "{blue buffalo|blue buffalo dog food} {review|reviews|rating}",
        "is blue buffalo {good for dogs|a good dog food|bad for dogs}",
        "blue buffalo life protection formula review",
    ],
    "alt/farmers-dog": [
        "{farmers dog|the farmers dog|the farmer's dog} {alternatives|alternative}",
        "{cheaper|cheap|affordable} alternative to {the farmers dog|farmers dog}",
        "{dog food like|brands like|companies like} {the farmers dog|farmers dog}",
    ],
    "compare/farmers-dog-vs-ollie": [
        "{farmers dog vs ollie|ollie vs farmers dog|the farmers dog vs ollie|ollie vs the farmer's dog}",
        "{farmers dog vs ollie|ollie vs farmers dog} {reddit|price|cost}",
        "ollie or farmers dog",
    ],
    "compare/purina-vs-hills": [
        "{purina pro plan vs hills science diet|hills science diet vs purina pro plan"
        "|science diet vs pro plan|pro plan vs science diet}",
        "{purina vs hills|hills vs purina} {dog food|reddit}",
        "{purina pro plan or hills science diet|is hills or purina better}",
    ],
    "compare/blue-buffalo-vs-purina": [
        "{blue buffalo vs purina|purina vs blue buffalo|blue buffalo vs purina pro plan"
        "|purina one vs blue buffalo}",
        "{blue buffalo vs purina|purina vs blue buffalo} {dog food|reddit|which is better}",
        "is blue buffalo better than purina",
    ],
    # --- how-tos sharing the life-stage words ----------------------------------------------------
    "how/feed-puppy": [
        "how much to feed a puppy",
        "how much {should i feed my puppy|food should a puppy eat|do you feed a puppy}",
        "puppy feeding {chart|schedule|chart by weight|guide}",
        "how many times a day {should i feed my puppy|to feed a puppy}",
        "how many cups of food {for a puppy|should a puppy eat}",
    ],
    "how/feed-dog": [
        "how much to feed a dog",
        "how much {should i feed my dog|food should my dog eat|dog food per day}",
        "dog feeding chart {|by weight|cups}",
        "how many cups of food {should my dog eat|for a 50 lb dog}",
    ],
    "how/switch-food": [
        "how to switch dog food",
        "how to {transition|switch} {a dog|my dog|your dog} to {new food|a new food|a different food}",
        "{switching|changing} dog food {too fast|schedule|gradually}",
        "dog food transition {schedule|chart|7 days}",
        "can i switch dog food {cold turkey|without mixing}",
    ],
    # --- knowledge questions beside their commercial twins ----------------------------------------
    "info/grain-free-bad": [
        "is grain free bad for dogs",
        "is grain free dog food {bad|bad for dogs|safe|good for dogs}",
        "grain free dog food {dcm|heart disease|heart problems|fda}",
        "does grain free dog food cause {heart disease|dcm|heart problems}",
    ],
    "info/wet-vs-dry": [
        "{wet vs dry dog food|dry vs wet dog food|wet or dry dog food}",
        "is wet {food|dog food} better {for dogs|than dry|than kibble}",
        "should i feed my dog {wet or dry food|wet food or kibble}",
        "kibble vs wet food",
    ],
    "info/puppy-to-adult": [
        "when to switch {puppy to adult food|from puppy food to adult food|from puppy to dog food}",
        "{what age|when} {do dogs stop eating puppy food|should a puppy stop eating puppy food}",
        "how long {should a puppy eat puppy food|to feed puppy food}",
    ],
    "info/recalls": [
        "dog food recall {|2026|list|this week|today}",
        "{dog food recalls|recalled dog food} {2026|list}",
        "is there a dog food recall right now",
        "dog food recalls",
    ],
    # --- transactional ---------------------------------------------------------------------------
    "buy/online": [
        "buy dog food online",
        "{buy|order} dog food online {|cheap|free shipping|same day delivery}",
        "where to buy dog food online",
        "{best place|cheapest place} to buy dog food online",
    ],
    "buy/near-me": [
        "dog food near me",
        "{dog food store|pet food store|pet store|pet supply store} near me",
        "where to buy dog food near me",
        "pet food near me open now",
    ],
    "buy/coupons": [
        "dog food {coupons|coupon|deals|discounts}",
        "{printable|manufacturer} dog food coupons",
        "dog food {coupons|deals} {2026|this week}",
    ],
    "buy/subscription": [
        "{dry dog food|kibble} subscription",
        "dog food {autoship|auto ship|auto delivery|subscribe and save}",
        "{kibble|dry dog food} delivered {monthly|every month|to your door}",
    ],
    # --- navigational ----------------------------------------------------------------------------
    "nav/chewy-login": [
        "chewy login",
        "chewy {log in|sign in|account login|account}",
        "{chewy.com login|chewy.com sign in|my chewy account}",
    ],
}
