"""Labelled groups for plumber_holdout.csv (bench/data/make_niche_sets.py writes it): plumbing, a
local service, written as a keyword tool export would show it (city names with and without the
state, "near me", "24/7", roto rooter / roto-rooter, years, questions) before this set was ever
clustered: the held-out set of issue 15's round 7. Near misses on purpose: the plain local search
(plumber near me) beside the urgent one (emergency / 24 hour / weekend, one need: a plumber now)
and beside three cities; services (drain cleaning / toilet repair / water heater repair vs
installation / tankless installation / sewer line repair / leak detection) beside the DIY how-tos
and knowledge questions that share their words (unclog a drain, unclog a toilet, fix a running
toilet, find a water leak, signs of a broken sewer line, turn off the water, thaw frozen pipes,
low water pressure), cost questions (a plumber's rates, water heater installation cost) beside
the brand's prices (Roto-Rooter prices vs Roto-Rooter reviews), a comparison (tankless vs tank),
careers (salary / how to become a plumber / apprenticeship / jobs), supplies (drain snake / pipe
wrench) and where to buy them (plumbing supply near me, Home Depot's plumbing department,
navigational). One group = the keywords one page should target."""

PLUMBER = "{plumber|plumbers|plumbing company|plumbing service}"

PLUMBER_GROUPS: dict[str, list[str]] = {
    # --- local: the plain search, the urgent one, cities -----------------------------------------
    "local/near-me": [
        "plumber near me",
        f"{{local|best|licensed|affordable}} {PLUMBER} near me",
        "{plumbers|plumbing services|plumbing companies} near me",
        "plumbers in my area",
    ],
    "local/emergency-24h": [
        "emergency plumber near me",
        "{emergency plumber|emergency plumbing service|emergency plumbing|urgent plumber}",
        "{24 hour|24/7|24 hr} {plumber|plumber near me|plumbing service}",
        "{plumber open now|plumber open on sunday|after hours plumber|saturday plumber}",
        "weekend plumber near me",
    ],
    "city/houston": [
        "plumber houston",
        f"{{best|}} {PLUMBER} {{in houston|houston tx|in houston texas}}",
        "houston plumbers",
    ],
    "city/phoenix": [
        "plumber phoenix",
        f"{{best|}} {PLUMBER} {{in phoenix|phoenix az|in phoenix arizona}}",
        "phoenix plumbers",
    ],
    "city/chicago": [
        "plumber chicago",
        f"{{best|}} {PLUMBER} {{in chicago|chicago il|in chicago illinois}}",
        "chicago plumbers",
    ],
    # --- drains and toilets: services beside the DIY how-tos -------------------------------------
    "service/drain-cleaning": [
        "drain cleaning near me",
        "drain cleaning {service|services|company|plumber}",
        "{clogged drain|blocked drain} {plumber|service|repair near me}",
        "professional drain cleaning",
    ],
    "how/unclog-drain": [
        "how to unclog a drain",
        "how to unclog a drain {without a plunger|with baking soda|naturally|fast}",
        "{how to clear a clogged drain|unclog drain diy|clogged drain home remedy}",
    ],
    "how/unclog-toilet": [
        "how to unclog a toilet",
        "how to unclog a toilet {without a plunger|when nothing works|with dish soap}",
        "{toilet clogged what to do|clogged toilet fix|toilet wont flush clogged}",
    ],
    "service/toilet-repair": [
        "toilet repair near me",
        "toilet repair {service|plumber|company}",
        "{plumber to fix toilet|toilet plumber near me|leaking toilet repair service}",
    ],
    "how/running-toilet": [
        "how to fix a running toilet",
        "{toilet keeps running|toilet running constantly|toilet keeps running after flush} {|fix}",
        "how to {stop a toilet from running|replace a toilet flapper|adjust toilet fill valve}",
    ],
    # --- water heaters ---------------------------------------------------------------------------
    "service/water-heater-repair": [
        "water heater repair",
        "{water heater|hot water heater} repair {near me|service|company}",
        "{no hot water plumber|water heater not working repair|water heater leaking repair}",
    ],
    "service/water-heater-install": [
        "water heater installation",
        "{water heater|hot water heater} {installation|replacement} {near me|service|company}",
        "{new water heater installed|water heater installers near me|install a new water heater}",
    ],
    "cost/water-heater-install": [
        "water heater installation cost",
        "{water heater replacement cost|cost to replace water heater|hot water heater installation cost}",
        "how much {to replace a water heater|does it cost to install a water heater}",
        "{40 gallon|50 gallon} water heater installed cost",
    ],
    "service/tankless-install": [
        "tankless water heater installation",
        "tankless water heater {installer|installers|installation near me|install service}",
        "{convert to tankless water heater|tankless water heater installer near me}",
    ],
    "compare/tankless-vs-tank": [
        "tankless vs tank water heater",
        "{tank vs tankless water heater|tankless vs traditional water heater|tankless or tank water heater}",
        "{is a tankless water heater worth it|tankless water heater pros and cons}",
    ],
    # --- sewer, leaks, water supply --------------------------------------------------------------
    "service/sewer-line": [
        "sewer line repair",
        "{sewer line|main sewer line|sewer pipe} {repair|replacement} {|near me|company}",
        "trenchless sewer line repair",
    ],
    "info/sewer-line-signs": [
        "signs of a sewer line break",
        "{signs of a broken sewer line|how to tell if sewer line is broken"
        "|symptoms of a collapsed sewer line}",
        "{broken sewer line signs|sewer line clog signs|sewer smell in yard}",
    ],
    "service/leak-detection": [
        "leak detection near me",
        "{water leak detection|leak detection|slab leak detection} {service|company|plumber}",
        "{plumber for leak detection|hidden water leak detection service}",
    ],
    "how/find-leak": [
        "how to find a water leak in your house",
        "how to {check for a water leak|find a leak under a slab|find a hidden water leak}",
        "{signs of a water leak in walls|how to tell if you have a water leak|water meter leak test}",
    ],
    "how/shut-off-water": [
        "how to turn off the water to your house",
        "how to {shut off water main|turn off main water valve|turn off water to house}",
        "{where is the main water shut off valve|water shut off valve location|main water shutoff}",
    ],
    "how/frozen-pipes": [
        "how to thaw frozen pipes",
        "{frozen pipes what to do|how to unfreeze pipes|thawing frozen pipes with hair dryer"
        "|what to do if pipes freeze}",
        "how to tell if pipes are frozen",
    ],
    "info/low-water-pressure": [
        "what causes low water pressure",
        "{why is my water pressure low|low water pressure in house|low water pressure in shower}",
        "low water pressure {causes|fix|whole house}",
    ],
    # --- cost and brand --------------------------------------------------------------------------
    "cost/plumber": [
        "how much does a plumber cost",
        "{plumber cost per hour|plumber call out fee|average plumber rates|plumber rates 2026}",
        "how much do plumbers charge {per hour|for a service call|to come out}",
    ],
    "brand/roto-rooter-reviews": [
        "roto rooter reviews",
        "{roto-rooter|rotorooter|roto rooter} {reviews|complaints|ratings}",
        "is roto rooter {good|worth it|a good company}",
    ],
    "brand/roto-rooter-prices": [
        "roto rooter prices",
        "{roto-rooter|roto rooter} {price list|cost|pricing}",
        "how much does roto rooter {charge|cost to unclog a drain|charge per hour}",
    ],
    # --- careers ---------------------------------------------------------------------------------
    "career/salary": [
        "plumber salary",
        "{how much do plumbers make|plumber pay per hour|plumber salary 2026|master plumber salary}",
        "how much does a plumber make {a year|an hour|in texas}",
    ],
    "career/become": [
        "how to become a plumber",
        "{how long does it take to become a plumber|plumber license requirements"
        "|how to get a plumbing license}",
        "{becoming a plumber|steps to become a licensed plumber}",
    ],
    "career/apprenticeship": [
        "plumbing apprenticeship",
        "{plumbing apprenticeship|plumber apprenticeship} {near me|program|programs}",
        "{how to get a plumbing apprenticeship|union plumbing apprenticeship"
        "|plumbing apprenticeship requirements}",
    ],
    "career/jobs": [
        "plumber jobs near me",
        "{plumber|plumbing} jobs {|hiring|near me hiring}",
        "{commercial plumber jobs|licensed plumber jobs|plumbing job openings}",
    ],
    # --- supplies and where to buy them ----------------------------------------------------------
    "supply/drain-snake": [
        "plumbing snake",
        "{best|} {drain snake|plumbing snake|drain auger|electric drain snake}",
        "drain snake {for sink|for shower|25 ft}",
    ],
    "supply/pipe-wrench": [
        "pipe wrench",
        "{best|} pipe wrench {|set|18 inch|14 inch}",
        "{ridgid pipe wrench|pipe wrench sizes|aluminum pipe wrench}",
    ],
    "buy/plumbing-supply-near-me": [
        "plumbing supply near me",
        "{plumbing supply store|plumbing supplies|plumbing store|plumbing supply house} near me",
        "where to buy plumbing supplies",
    ],
    "nav/home-depot-plumbing": [
        "home depot plumbing",
        "home depot plumbing {supplies|department|parts|aisle}",
        "{plumbing at home depot|homedepot plumbing}",
    ],
}
