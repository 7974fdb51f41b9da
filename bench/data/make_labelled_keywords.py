"""Writes bench/data/labelled_keywords.csv (keyword,group): the labelled set for cluster_quality.py.

Each intent group is a handful of hand-written query patterns; `{a|b|}` picks one alternative
(empty allowed), so one line spells out the synonyms, paraphrases and word orders people type.
Groups are named family/facet: groups in one family are near misses of each other ("best running
shoes for women" vs "... for men", "clean" vs "season" a cast iron skillet) and must not merge.

Deterministic: every pattern expansion is listed, then each group keeps the GROUP_SIZE variants
with the smallest SHA-256 of their text (a stable pseudo-random pick that needs no seed), plus
all rows written without braces (the canonical phrasings). Run it again and the file is identical.

    .venv/bin/python bench/data/make_labelled_keywords.py
"""

import csv
import hashlib
import itertools
import re
from pathlib import Path

GROUP_SIZE = 18
OUT = Path(__file__).with_name("labelled_keywords.csv")

BEST = "{best|top|top rated|good|most comfortable}"
GROUPS: dict[str, list[str]] = {
    # --- commercial, audience near misses -------------------------------------------------
    "running-shoes/women": [
        f"{BEST} {{women's|womens|ladies}} running {{shoes|sneakers|trainers}}",
        f"{BEST} running {{shoes|sneakers|trainers}} for {{women|ladies}}",
        "{women's|womens} running {shoes|sneakers} {reviews|2025|on sale}",
        "running shoes women",
    ],
    "running-shoes/men": [
        f"{BEST} {{men's|mens}} running {{shoes|sneakers|trainers}}",
        f"{BEST} running {{shoes|sneakers|trainers}} for men",
        "{men's|mens} running {shoes|sneakers} {reviews|2025|on sale}",
        "running shoes men",
    ],
    "running-shoes/kids": [
        "{best|good|cheap} {kids|children's|boys|girls} running {shoes|sneakers}",
        "{best|good} running {shoes|sneakers} for {kids|children|toddlers}",
        "kids running shoes {size 13|wide|velcro}",
    ],
    "hiking-boots/women": [
        "{best|top rated|waterproof|lightweight} {women's|womens|ladies} hiking boots",
        "{best|top|waterproof} hiking boots for women",
        "{women's|womens} {hiking|trail} boots {reviews|wide width|for beginners}",
    ],
    "hiking-boots/men": [
        "{best|top rated|waterproof|lightweight} {men's|mens} hiking boots",
        "{best|top|waterproof} hiking boots for men",
        "{men's|mens} {hiking|trail} boots {reviews|wide width|for beginners}",
    ],
    # --- laptops by use -------------------------------------------------------------------
    "laptop/students": [
        "{best|good|cheap|affordable} laptop{|s} for {college|university|high school} students",
        "{best|good} student laptop{|s} {2025|under 500|for college}",
        "what laptop should i buy for college",
        "laptop for school {reviews|recommendations}",
    ],
    "laptop/gaming": [
        "{best|cheap|budget|top} gaming laptop{|s} {|2025|under 1000}",
        "{best|good} laptop{|s} for {gaming|playing games}",
        "gaming notebook {reviews|deals}",
        "which gaming laptop should i buy",
    ],
    "laptop/video-editing": [
        "{best|good|affordable} laptop{|s} for video editing {|2025|and photo editing}",
        "{best|good} video editing laptop{|s}",
        "laptop for editing {4k video|youtube videos|videos}",
        "what laptop do i need for video editing",
    ],
    # --- pet food -------------------------------------------------------------------------
    "pet-food/puppy": [
        "{best|healthiest|top rated|vet recommended} {puppy food|food for puppies|dry puppy food}",
        "{best|good} dog food for puppies",
        "what to feed a {puppy|new puppy|8 week old puppy}",
        "puppy food {brands|reviews|for large breeds}",
    ],
    "pet-food/senior-dog": [
        "{best|healthiest|top rated|vet recommended} {senior dog food|food for senior dogs}",
        "{best|healthiest|vet recommended} food for older dogs",
        "{best|good} dog food for {old|older|elderly} dogs",
        "what to feed an {old|older|elderly} dog",
        "senior dog food {brands|reviews|for small breeds}",
    ],
    "pet-food/cat": [
        "{best|healthiest|top rated|vet recommended} {cat food|food for cats|dry cat food|wet cat food}",
        "what to feed a cat {|every day}",
        "cat food {brands|reviews|for indoor cats}",
    ],
    # --- coffee how-to near misses ----------------------------------------------------------
    "coffee/cold-brew": [
        "how to make cold brew {|coffee|at home|concentrate}",
        "cold brew {recipe|ratio|coffee recipe|coffee ratio|at home}",
        "{homemade|diy|easy} cold brew coffee",
        "how long to steep cold brew",
    ],
    "coffee/iced-coffee": [
        "how to make iced coffee {|at home|with instant coffee|with hot coffee}",
        "iced coffee {recipe|at home|recipe easy}",
        "{homemade|easy|quick} iced coffee",
        "how to make coffee cold quickly",
    ],
    "coffee/french-press": [
        "how to {make|brew|use a} {french press|french press coffee}",
        "french press {coffee ratio|ratio|instructions|brewing guide|brew time}",
        "how long to steep french press coffee",
        "how much coffee in a french press",
    ],
    "coffee/espresso-without-machine": [
        "how to make espresso {without a machine|without an espresso machine|at home without machine}",
        "{espresso|espresso shot} without {a machine|machine|an espresso maker}",
        "can you make espresso {with a french press|with a moka pot|without a machine}",
        "diy espresso at home no machine",
    ],
    "coffee-gear/espresso-machine": [
        "{best|top rated|good|affordable} {espresso machine|espresso maker} for {home|beginners}",
        "{best|top} home espresso machine{|s} {|2025|under 500}",
        "espresso machine {reviews|buying guide|deals}",
    ],
    "coffee-gear/grinder": [
        "{best|top rated|good|affordable} {coffee grinder|burr grinder|burr coffee grinder}",
        "{best|top} coffee grinder{|s} for {espresso|french press|pour over}",
        "coffee grinder {reviews|buying guide}",
        "which coffee grinder should i buy",
    ],
    # --- weight: antonym near miss ---------------------------------------------------------
    "weight/lose": [
        "how to lose weight {fast|quickly|in a month|without dieting|at home}",
        "{fastest|quickest|best|easiest} way to lose weight",
        "{tips|diet plan} for losing weight",
        "weight loss {tips|plan for beginners|fast}",
    ],
    "weight/gain": [
        "how to gain weight {fast|quickly|in a month|healthy|for skinny guys}",
        "{fastest|quickest|best|healthiest} way to gain weight",
        "{tips|diet plan} for gaining weight",
        "weight gain {tips|meal plan|foods}",
    ],
    # --- calculators ---------------------------------------------------------------------
    "calculator/mortgage": [
        "mortgage calculator {|with taxes and insurance|monthly payment|uk|with pmi}",
        "{home loan|house payment|mortgage payment} calculator",
        "calculate {my|monthly} mortgage {payment|payments}",
        "how much will my mortgage payment be",
    ],
    "calculator/refinance": [
        "{mortgage |home |}refinance calculator",
        "should i refinance my {mortgage|house} calculator",
        "{refinancing|refi} calculator {|savings|break even}",
        "how much will i save if i refinance",
    ],
    "calculator/auto-loan": [
        "{auto|car} loan calculator {|with trade in|monthly payment}",
        "{car payment|vehicle loan|auto finance} calculator",
        "calculate {my|monthly} car {payment|payments}",
        "how much will my car payment be",
    ],
    # --- plumbing how-to ------------------------------------------------------------------
    "plumbing/leaking-faucet": [
        "how to fix a {leaking|leaky|dripping} {faucet|tap|kitchen faucet|bathroom faucet}",
        "{leaking|leaky|dripping} {faucet|tap} {repair|fix|won't stop dripping}",
        "how to stop a {faucet|tap} from dripping",
        "faucet dripping when turned off",
    ],
    "plumbing/running-toilet": [
        "how to fix a {running|constantly running|leaking} toilet",
        "{running|constantly running} toilet {fix|repair|flapper}",
        "how to stop a toilet from running",
        "toilet keeps running {after flush|fix}",
    ],
    "plumbing/clogged-drain": [
        "how to unclog a {drain|sink|kitchen sink|bathroom sink|shower drain}",
        "{clogged|blocked} {drain|sink} {fix|remedy|home remedy}",
        "{unclog|clear} a {drain|sink} without a plumber",
        "drain unclogging {tips|baking soda vinegar}",
    ],
    # --- local services -------------------------------------------------------------------
    "local/plumber": [
        "{plumber|plumbers|plumbing service} near me",
        "{emergency|24 hour|local|cheap} plumber {|near me}",
        "plumber {open now|in my area|near me prices}",
        "find a plumber {nearby|in my area}",
    ],
    "local/electrician": [
        "{electrician|electricians|electrical contractor} near me",
        "{emergency|24 hour|local|licensed} electrician {|near me}",
        "electrician {open now|in my area|near me prices}",
        "find an electrician {nearby|in my area}",
    ],
    "local/dentist": [
        "{dentist|dentists|dental office|dental clinic} near me",
        "{emergency|24 hour|local|family} dentist {|near me}",
        "dentist {open now|open saturday|accepting new patients}",
        "find a dentist {nearby|in my area}",
    ],
    # --- phones and computers -------------------------------------------------------------
    "battery-drain/iphone": [
        "iphone battery {draining fast|dying fast|drains quickly|draining overnight}",
        "why is my iphone battery {draining so fast|dying so fast}",
        "how to {fix|stop} iphone battery drain",
        "iphone {battery life|battery} getting worse",
    ],
    "battery-drain/android": [
        "{android|samsung} battery {draining fast|dying fast|drains quickly|draining overnight}",
        "why is my {android|samsung} phone battery {draining so fast|dying so fast}",
        "how to {fix|stop} {android|samsung} battery drain",
        "android phone battery life getting worse",
    ],
    "screenshot/mac": [
        "how to {take a |}screenshot on {a mac|mac|macbook|macbook air|macbook pro}",
        "{mac|macbook} screenshot {shortcut|keyboard shortcut|of part of screen}",
        "screenshot {mac|macbook} {|shortcut}",
        "where do screenshots go on mac",
    ],
    "screenshot/windows": [
        "how to {take a |}screenshot on {windows|windows 11|windows 10|a pc|a laptop}",
        "{windows|pc|windows 11} screenshot {shortcut|keyboard shortcut|of part of screen}",
        "snipping tool {shortcut|windows}",
        "where do screenshots go on windows",
    ],
    # --- programming ----------------------------------------------------------------------
    "python/list-comprehension": [
        "python list comprehension {|example|examples|tutorial|with if else|syntax}",
        "list comprehension {in python|python if|python nested}",
        "how to {use|write} list comprehension in python",
    ],
    "python/dict-comprehension": [
        "python {dict|dictionary} comprehension {|example|examples|tutorial|with if else|syntax}",
        "{dict|dictionary} comprehension {in python|python if}",
        "how to {use|write} {dict|dictionary} comprehension in python",
    ],
    "reverse-string/python": [
        "{how to |}reverse a string in python",
        "python reverse {string|a string|string slicing|string without slicing}",
        "reverse {string|a string|text} python",
        "python string reverse {function|method}",
    ],
    "reverse-string/javascript": [
        "{how to |}reverse a string in {javascript|js}",
        "{javascript|js} reverse {string|a string|string method}",
        "reverse {string|a string} {javascript|js}",
        "{javascript|js} string reverse {function|method}",
    ],
    # --- health -------------------------------------------------------------------------
    "symptoms/flu": [
        "{flu|influenza} symptoms {|in adults|in kids|2025}",
        "{symptoms|signs} of {the flu|flu|influenza}",
        "how do i know if i have the flu",
        "first signs of {the flu|flu}",
    ],
    "symptoms/covid": [
        "{covid|covid 19|coronavirus} symptoms {|in adults|in kids|2025}",
        "{symptoms|signs} of {covid|covid 19|coronavirus}",
        "how do i know if i have covid",
        "first signs of covid",
    ],
    "symptoms/strep-throat": [
        "strep throat symptoms {|in adults|in kids|without fever}",
        "{symptoms|signs} of strep {throat|}",
        "how do i know if i have strep throat",
        "what does strep throat look like",
    ],
    # --- gardening ------------------------------------------------------------------------
    "grow/tomatoes": [
        "how to grow tomatoes {|in pots|in containers|from seed|indoors}",
        "growing tomatoes {in pots|in containers|for beginners|tips}",
        "tomato {growing tips|plant care}",
        "{best way|tips} to grow tomatoes",
    ],
    "grow/potatoes": [
        "how to grow potatoes {|in pots|in containers|in bags|from potatoes}",
        "growing potatoes {in pots|in containers|for beginners|tips}",
        "potato {growing tips|plant care}",
        "{best way|tips} to grow potatoes",
    ],
    # --- travel: a 2 x 2 grid of near misses -----------------------------------------------
    "flights/paris": [
        "{cheap|cheapest|last minute|budget} flights to paris",
        "{cheap|discount} {airfare|plane tickets|tickets} to paris",
        "flights to paris {from new york|deals|round trip}",
        "fly to paris cheap",
    ],
    "flights/london": [
        "{cheap|cheapest|last minute|budget} flights to london",
        "{cheap|discount} {airfare|plane tickets|tickets} to london",
        "flights to london {from new york|deals|round trip}",
        "fly to london cheap",
    ],
    "things-to-do/paris": [
        "{things|fun things|best things|free things} to do in paris",
        "what to do in paris {|in 3 days|at night|with kids}",
        "paris {attractions|must see|itinerary|sightseeing}",
        "top {attractions|sights} in paris",
    ],
    "things-to-do/london": [
        "{things|fun things|best things|free things} to do in london",
        "what to do in london {|in 3 days|at night|with kids}",
        "london {attractions|must see|itinerary|sightseeing}",
        "top {attractions|sights} in london",
    ],
    # --- cooking --------------------------------------------------------------------------
    "eggs/hard-boiled": [
        "how {long|many minutes} to {boil|cook} {hard boiled eggs|eggs hard}",
        "{perfect|easy|how to make} hard boiled eggs",
        "hard boiled eggs {time|how long|recipe|easy peel}",
        "how to hard boil eggs",
    ],
    "eggs/soft-boiled": [
        "how {long|many minutes} to {boil|cook} {soft boiled eggs|eggs soft|a soft boiled egg}",
        "{perfect|easy|how to make} soft boiled eggs",
        "soft boiled eggs {time|how long|recipe|runny yolk}",
        "how to soft boil an egg",
    ],
    "cast-iron/clean": [
        "how to clean a cast iron {skillet|pan}",
        "{cleaning|clean} cast iron {skillet|pan} {|after cooking|with soap|with salt}",
        "can you {use soap on|wash} cast iron",
        "how to {wash|clean} cast iron {|without ruining it}",
    ],
    "cast-iron/season": [
        "how to season a cast iron {skillet|pan}",
        "{seasoning|season} cast iron {skillet|pan} {|in oven|with oil|for the first time}",
        "best oil to season cast iron",
        "how to {re season|reseason} cast iron",
    ],
    "chicken-wings/air-fryer": [
        "air fryer chicken wings {|recipe|crispy|frozen|time}",
        "how to {cook|make} chicken wings in {the|an} air fryer",
        "{crispy|easy|best} air fryer wings",
        "how long to cook wings in air fryer",
    ],
    "chicken-wings/oven": [
        "{oven baked|baked} chicken wings {|recipe|crispy}",
        "how to {bake|cook} chicken wings in the oven",
        "{crispy|easy|best} baked wings",
        "how long to bake chicken wings {|at 400}",
    ],
    # --- fitness / lifestyle ----------------------------------------------------------------
    "yoga/beginners": [
        "yoga for beginners {|at home|video|routine|poses}",
        "{beginner|easy|simple} yoga {routine|poses|workout|class}",
        "how to start {doing |}yoga {|at home}",
        "{basic|first} yoga poses for beginners",
    ],
    "yoga/back-pain": [
        "yoga for {back pain|lower back pain|sciatica} {|relief|at home}",
        "yoga {poses|stretches|exercises} for {back pain|lower back pain}",
        "{best|gentle} yoga for lower back pain",
        "can yoga help back pain",
    ],
    "tie/necktie": [
        "how to tie a tie {|step by step|easy|for beginners|windsor knot}",
        "{tie|necktie} {tying|knot} {instructions|guide|step by step}",
        "{easiest|simple} way to tie a tie",
        "how to do a {tie|windsor knot|half windsor}",
    ],
    "tie/bow-tie": [
        "how to tie a bow tie {|step by step|easy|for beginners}",
        "bow tie {tying|knot} {instructions|guide|step by step}",
        "{easiest|simple} way to tie a bow tie",
        "how to do a bow tie",
    ],
    "dresses/wedding": [
        "{wedding dresses|wedding gowns|bridal gowns} {|2025|near me|under 1000|simple}",
        "{best|affordable|cheap|beautiful} wedding {dresses|gowns}",
        "where to buy a wedding dress",
        "bridal shops near me",
    ],
    "dresses/bridesmaid": [
        "{bridesmaid dresses|bridesmaids dresses} {|2025|near me|under 100|long}",
        "{best|affordable|cheap|mix and match} bridesmaid dresses",
        "where to buy bridesmaid dresses",
        "maid of honor dress",
    ],
    # --- insurance ------------------------------------------------------------------------
    "insurance/car": [
        "{car|auto} insurance {quotes|quote|comparison|rates}",
        "{cheap|cheapest|best} {car|auto} insurance {|for young drivers|near me}",
        "compare {car|auto} insurance {quotes|prices}",
        "how much is car insurance",
    ],
    "insurance/home": [
        "{home|homeowners|house} insurance {quotes|quote|comparison|rates}",
        "{cheap|cheapest|best} {home|homeowners} insurance {|companies|near me}",
        "compare {home|homeowners} insurance {quotes|prices}",
        "how much is home insurance",
    ],
    # --- household ------------------------------------------------------------------------
    "rust/metal": [
        "how to remove rust from {metal|tools|steel|a car|cast iron}",
        "{best way|easiest way} to remove rust from metal",
        "{rust remover|remove rust} {for metal|diy|vinegar|with baking soda}",
        "get rid of rust on {metal|tools}",
    ],
    "rust/clothes": [
        "how to {remove|get} rust {stains|} {out of|from} {clothes|clothing|fabric|white clothes}",
        "rust stain {removal|remover} {clothes|fabric|laundry}",
        "{get rid of|remove} rust {stains on clothes|marks on fabric}",
    ],
    "pests/ants": [
        "how to get rid of ants {|in the kitchen|in the house|naturally|fast}",
        "{ants|ant infestation} in {kitchen|house|bathroom} {|how to get rid of|remedy}",
        "{best|natural|homemade} ant {killer|bait|repellent}",
        "what kills ants instantly",
    ],
    "pests/fruit-flies": [
        "how to get rid of fruit flies {|in the kitchen|in the house|naturally|fast}",
        "fruit flies in {kitchen|house|sink|drain} {|how to get rid of|remedy}",
        "{best|homemade|diy} fruit fly {trap|killer}",
        "what kills fruit flies instantly",
    ],
    # --- career -----------------------------------------------------------------------------
    "job-search/resume": [
        "how to {write|make} a {resume|good resume|resume with no experience}",
        "resume {template|examples|format|tips|writing tips}",
        "{best|free|simple} resume {template|format|builder}",
        "what to put on a resume",
    ],
    "job-search/cover-letter": [
        "how to {write|make} a {cover letter|good cover letter|cover letter with no experience}",
        "cover letter {template|examples|format|tips|writing tips}",
        "{best|free|simple} cover letter {template|format|examples}",
        "what to put in a cover letter",
    ],
    # --- diets ------------------------------------------------------------------------------
    "meal-plan/keto": [
        "{keto|ketogenic} {diet |}meal plan {|for beginners|7 day|free|pdf}",
        "{keto|low carb keto} {meal prep|diet plan|menu} for {beginners|a week}",
        "what to eat on {keto|a keto diet}",
        "{easy|simple} keto meal plan",
    ],
    "meal-plan/vegan": [
        "{vegan|plant based} {diet |}meal plan {|for beginners|7 day|free|pdf}",
        "{vegan|plant based} {meal prep|diet plan|menu} for {beginners|a week}",
        "what to eat on {a vegan diet|vegan}",
        "{easy|simple} vegan meal plan",
    ],
    # --- office furniture / audio -----------------------------------------------------------
    "office/standing-desk": [
        "{best|top rated|affordable|cheap} standing desk{|s} {|2025|for home office|under 300}",
        "{sit stand|adjustable height|electric standing} desk {reviews|for home}",
        "standing desk {reviews|buying guide|benefits}",
        "{best|good} stand up desk",
    ],
    "office/chair": [
        "{best|top rated|affordable|cheap} {ergonomic|office} chair{|s} {|2025|for back pain|under 300}",
        "{ergonomic desk|home office|computer} chair {reviews|for long hours}",
        "office chair {reviews|buying guide}",
        "{best|most comfortable} chair for working from home",
    ],
    "audio/earbuds": [
        "{best|top rated|cheap|budget} {wireless|bluetooth} earbuds {|2025|under 100|for running}",
        "{best|top rated} true wireless earbuds",
        "{wireless|bluetooth} earbuds {reviews|with best sound|for iphone|for android}",
        "{best|good} earbuds {for working out|for calls|2025}",
    ],
    "audio/anc-headphones": [
        "{best|top rated|cheap|budget} noise cancelling headphones {|2025|under 200|for travel}",
        "{noise cancelling|noise canceling|anc} headphones {reviews|over ear|for flying}",
        "{best|good} {over ear|wireless} headphones with noise cancelling",
    ],
    # --- car ----------------------------------------------------------------------------------
    "car-help/flat-tire": [
        "how to change a {flat tire|tire|flat tyre|car tire}",
        "{changing|change} a {flat tire|tire} {step by step|yourself|on the highway}",
        "what to do when you get a flat tire",
        "how to put on a spare tire",
    ],
    "car-help/jump-start": [
        "how to jump start a {car|dead battery|car battery|car with cables}",
        "{jump starting|jump start} a car {step by step|with another car|order of cables}",
        "what to do when your car battery is dead",
        "how to use jumper cables",
    ],
}


def expand(pattern: str) -> list[str]:
    """All texts a pattern spells: '{a|b} c' -> ['a c', 'b c'], with spacing tidied."""
    parts = re.split(r"(\{[^}]*\})", pattern)
    choices = [p[1:-1].split("|") if p.startswith("{") else [p] for p in parts]
    return [" ".join("".join(combo).split()) for combo in itertools.product(*choices)]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def rows() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    out: list[tuple[str, str]] = []
    for group, patterns in GROUPS.items():
        fixed = [p for p in patterns if "{" not in p]
        variants = sorted({t for p in patterns if "{" in p for t in expand(p)} - set(fixed), key=digest)
        for text in [*fixed, *variants[: GROUP_SIZE - len(fixed)]]:
            if text in seen:
                raise ValueError(f"{text!r} is in both {seen[text]} and {group}")
            seen[text] = group
            out.append((text, group))
    return out


def main() -> None:
    data = rows()
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["keyword", "group"])
        writer.writerows(data)
    print(f"{len(data)} keywords in {len(GROUPS)} groups -> {OUT}")


if __name__ == "__main__":
    main()
