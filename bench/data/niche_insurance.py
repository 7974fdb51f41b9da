"""Labelled groups for carinsurance_holdout.csv (bench/data/make_niche_sets.py writes it): car
insurance, a financial service sold by quote, written as a keyword tool export would show it (car /
auto insurance used alike, missing hyphens, a misspelt brand, years, "near me", reddit, questions)
before this set was ever clustered: the held-out set of issue 15's round 6. Near misses on
purpose: audience (young drivers / seniors / new drivers / students), condition (after an accident
/ with a DUI / SR-22 / bad credit) and the question of rates after an accident, coverage (full
coverage / liability only / comprehensive / gap) beside the knowledge questions that share its
words (what comprehensive covers, full coverage vs liability), state (California / Texas /
Florida) beside the average cost, vehicle (classic / rental / electric), price (cheapest) beside
the how-to (lower your premium), quotes, how-tos (file a claim, cancel), brand reviews, brand vs
brand comparisons that share a brand, two navigational logins and a local "near me". One group =
the keywords one page should target."""

INS = "{car insurance|auto insurance}"
FOR_WHO = "{best|cheapest|cheap}"

CARINSURANCE_GROUPS: dict[str, list[str]] = {
    # --- the head term and price -----------------------------------------------------------------
    "best/overall": [
        f"{{best|top rated|top|good}} {INS} {{companies|2026|providers|companies 2026}}",
        "{car|auto} insurance companies {ranked|ratings|reviews}",
        "who has the best car insurance",
        "best car insurance",
    ],
    "price/cheapest": [
        f"{{cheapest|cheap|affordable|low cost}} {INS}",
        f"who has the cheapest {INS}",
        "cheapest {car|auto} insurance {companies|2026|per month}",
        "cheap car insurance",
    ],
    # --- audience --------------------------------------------------------------------------------
    "audience/young-drivers": [
        f"{FOR_WHO} {INS} for young drivers",
        f"{INS} for {{18 year olds|under 25|teens|teenage drivers}}",
        "{young driver|teen driver} car insurance",
    ],
    "audience/seniors": [
        f"{FOR_WHO} {INS} for seniors",
        "{car|auto} insurance for {seniors over 70|elderly drivers|retirees|older drivers}",
        "senior driver car insurance",
    ],
    "audience/new-drivers": [
        f"{FOR_WHO} {INS} for new drivers",
        "{car|auto} insurance for {first time drivers|new drivers over 25|newly licensed drivers}",
        "first time {car insurance|driver car insurance}",
    ],
    "audience/students": [
        f"{FOR_WHO} {INS} for {{college students|students}}",
        "{student|college student} {car|auto} insurance",
        "car insurance {discount for students|good student discount|for students away at school}",
    ],
    # --- driver record and credit ----------------------------------------------------------------
    "condition/after-accident": [
        f"{FOR_WHO} {INS} after an accident",
        "car insurance {after an at fault accident|with an accident on record|with accidents}",
        "{insurance companies that accept|car insurance that covers} drivers with accidents",
    ],
    "info/rates-after-accident": [
        "how much does insurance go up after an accident",
        "{does|will} my insurance go up after {an accident|a not at fault accident|a fender bender}",
        "how long does an accident {affect|stay on} {your insurance|insurance}",
        "insurance {increase|rate increase} after accident",
    ],
    "condition/dui": [
        f"{FOR_WHO} {INS} {{after a dui|with a dui|for dui drivers}}",
        "{car|auto} insurance {after dui|with dui|after a dwi}",
        "insurance companies that accept dui",
    ],
    "condition/sr22": [
        "sr22 insurance",
        "{cheap|cheapest} {sr22|sr-22} insurance",
        "what is {sr22|an sr22|sr-22} insurance",
        "how long {do you need|do i need} an sr22",
        "{sr22|sr-22} insurance {cost|explained}",
    ],
    "condition/bad-credit": [
        f"{FOR_WHO} {INS} {{for bad credit|with bad credit|with poor credit}}",
        "{car|auto} insurance {companies that don't check credit|no credit check}",
        "car insurance for people with bad credit",
    ],
    # --- coverage and the questions that share its words -------------------------------------------
    "coverage/full": [
        f"{FOR_WHO} full coverage {INS}",
        "full coverage {car|auto} insurance {|companies|rates}",
        "full coverage insurance",
    ],
    "coverage/liability-only": [
        f"{{liability only|liability|minimum liability|state minimum}} {INS}",
        "{cheapest|cheap|best} liability only {car insurance|auto insurance|insurance}",
        "basic car insurance",
    ],
    "coverage/comprehensive": [
        f"{FOR_WHO} comprehensive {INS}",
        "comprehensive {car|auto} insurance {policy|companies|rates}",
    ],
    "info/comprehensive-covers": [
        "what does comprehensive {insurance|car insurance|auto insurance|coverage} cover",
        "does comprehensive {insurance|coverage} cover {hail|theft|a cracked windshield|hitting a deer}",
        "{comprehensive insurance meaning|comprehensive coverage explained"
        "|what is comprehensive car insurance}",
    ],
    "info/full-vs-liability": [
        "{full coverage vs liability|liability vs full coverage} {|insurance|car insurance}",
        "difference between full coverage and liability {|insurance}",
        "should i get {full coverage or liability|liability or full coverage}",
        "is full coverage worth it {|on an old car|on a paid off car}",
    ],
    "coverage/gap": [
        "gap insurance",
        "what is gap insurance {|and do i need it|on a car}",
        "{is gap insurance worth it|do i need gap insurance|how does gap insurance work}",
        "gap insurance {cost|explained|for leased cars|on a used car}",
    ],
    # --- states and the average cost -------------------------------------------------------------
    "state/california": [
        f"{FOR_WHO} {INS} in california",
        f"{{california|ca}} {INS} {{companies|rates|2026}}",
        "cheap car insurance california",
    ],
    "state/texas": [
        f"{FOR_WHO} {INS} in texas",
        f"{{texas|tx}} {INS} {{companies|rates|2026}}",
        "cheap car insurance texas",
    ],
    "state/florida": [
        f"{FOR_WHO} {INS} in florida",
        f"{{florida|fl}} {INS} {{companies|rates|2026}}",
        "cheap car insurance florida",
    ],
    "info/average-cost": [
        "how much is car insurance {|a month|per month|a year}",
        "average {car|auto} insurance cost {|per month|2026|by state}",
        "how much does car insurance cost",
    ],
    # --- vehicles --------------------------------------------------------------------------------
    "vehicle/classic": [
        f"{FOR_WHO} {{classic car insurance|antique car insurance|vintage car insurance"
        "|collector car insurance}",
        "{classic|antique|collector} car insurance {companies|rates|reviews}",
        "insurance for {classic cars|vintage cars}",
    ],
    "vehicle/rental": [
        "rental car insurance",
        "do i need {rental car insurance|insurance for a rental car|to buy insurance on a rental car}",
        "does my {car insurance|auto insurance} cover rental cars",
        "{should i buy|is it worth getting} {insurance|the insurance} when renting a car",
    ],
    "vehicle/electric": [
        f"{FOR_WHO} {INS} for electric {{cars|vehicles}}",
        "{electric car|ev|electric vehicle} insurance {|rates|companies}",
        "car insurance for {an ev|evs}",
    ],
    # --- quotes and local ------------------------------------------------------------------------
    "quote/get": [
        f"{INS} {{quotes|quote}}",
        f"{{get|free|instant|compare}} {INS} {{quotes|quote}} {{|online}}",
        "car insurance quotes",
        "compare car insurance",
    ],
    "buy/near-me": [
        "car insurance near me",
        "{car insurance|auto insurance|insurance} {agents|agency|office|offices} near me",
        "{cheap car insurance|car insurance companies} near me",
    ],
    # --- how-tos ---------------------------------------------------------------------------------
    "how/file-claim": [
        "how to file {a car insurance|an auto insurance|an insurance} claim",
        "how to {make|file} a claim {on car insurance|after a car accident}",
        f"{INS} claim process {{|step by step}}",
        "filing a car insurance claim",
    ],
    "how/lower-premium": [
        "how to lower {car insurance|auto insurance|my car insurance|your car insurance premium}",
        f"{{ways|tips}} to {{lower|reduce|save on}} {INS}",
        "how to get cheaper car insurance",
        "how to reduce car insurance premium",
    ],
    "how/cancel": [
        "how to cancel {car insurance|auto insurance|my car insurance}",
        "can i cancel {my car insurance|car insurance} {at any time|after paying|and get a refund}",
        "cancel car insurance {policy|early}",
    ],
    # --- brands ----------------------------------------------------------------------------------
    "brand/geico": [
        "geico {review|reviews|car insurance review|auto insurance reviews}",
        "is geico {good|a good insurance company|worth it|legit}",
        "geico {rating|ratings|customer reviews}",
    ],
    "brand/progressive": [
        "progressive {review|reviews|car insurance review|auto insurance reviews}",
        "is progressive {good|a good insurance company|worth it|legit}",
        "progressive insurance {rating|ratings|customer reviews}",
    ],
    "compare/geico-vs-progressive": [
        "{geico vs progressive|progressive vs geico|geico or progressive}",
        "{geico vs progressive|progressive vs geico} {reddit|price|rates|2026}",
        "is geico cheaper than progressive",
    ],
    "compare/geico-vs-state-farm": [
        "{geico vs state farm|state farm vs geico|geico or state farm}",
        "{geico vs state farm|state farm vs geico} {reddit|price|rates}",
        "is state farm better than geico",
    ],
    "nav/geico-login": [
        "geico login",
        "geico {log in|sign in|account login|policy login|customer login}",
        "{geico.com login|my geico login|geico app login|gieco login}",
    ],
    "nav/progressive-login": [
        "progressive login",
        "progressive {log in|sign in|insurance login|car insurance login|account login}",
        "{progressive.com login|progressive policy login}",
    ],
}
