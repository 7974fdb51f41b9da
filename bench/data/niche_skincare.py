"""Labelled groups for skincare_holdout.csv (bench/data/make_niche_sets.py writes it): skin care,
written after the third round of rule changes (which studied bikes_holdout.csv's errors) was final
and before this set was ever clustered: the held-out set of that round. Near misses on purpose:
skin type (oily / dry / sensitive) and condition (acne / rosacea / dark spots), audience (men /
women / teens), product (moisturizer / serum / cleanser / sunscreen) and ingredient (retinol /
vitamin c / niacinamide), how-tos that share the product words, buying, price tier, brands, and a
navigational login."""

BEST = "{best|top|top rated|good}"

SKINCARE_GROUPS: dict[str, list[str]] = {
    # --- skin types, one product -----------------------------------------------------------
    "moisturizer/oily": [
        f"{BEST} {{moisturizer|moisturiser|face moisturizer}} for oily skin",
        "oily skin moisturizer {reviews|2025}",
        "{lightweight|oil free} moisturizer for oily skin",
    ],
    "moisturizer/dry": [
        f"{BEST} {{moisturizer|moisturiser|face moisturizer}} for dry skin",
        "dry skin moisturizer {reviews|2025}",
        "{rich|hydrating} moisturizer for dry skin",
    ],
    "moisturizer/sensitive": [
        f"{BEST} {{moisturizer|moisturiser|face moisturizer}} for sensitive skin",
        "sensitive skin moisturizer {reviews|2025}",
        "fragrance free moisturizer for sensitive skin",
    ],
    # --- conditions -------------------------------------------------------------------------
    "condition/acne": [
        f"{BEST} {{skincare|skin care}} for acne",
        f"{BEST} {{cleanser|face wash}} for acne",
        "acne prone skin {routine|products}",
    ],
    "condition/rosacea": [
        f"{BEST} {{skincare|skin care|moisturizer}} for rosacea",
        "rosacea {skincare routine|products|friendly skincare}",
    ],
    "condition/dark-spots": [
        f"{BEST} {{serum|cream|treatment}} for dark spots",
        "how to get rid of {dark spots|hyperpigmentation} on face",
        "dark spot {corrector|remover} {reviews|2025}",
    ],
    # --- audience ------------------------------------------------------------------------------
    "audience/men": [
        f"{BEST} {{skincare|skin care}} {{for men|products for men}}",
        "{men's|mens} skincare {routine|products|set}",
    ],
    "audience/teens": [
        f"{BEST} {{skincare|skin care}} for {{teens|teenagers}}",
        "{teen|teenage} skincare routine",
    ],
    # --- product types -------------------------------------------------------------------------
    "product/sunscreen": [
        f"{BEST} {{sunscreen|sunscreens}} for {{face|your face}}",
        "{face|facial} sunscreen {reviews|2025|spf 50}",
    ],
    "product/cleanser": [
        f"{BEST} {{face wash|facial cleanser|cleanser}}",
        "{gentle|foaming} {face wash|cleanser} {reviews|2025}",
    ],
    "product/eye-cream": [
        f"{BEST} eye {{cream|creams}}",
        "eye cream for {dark circles|puffiness|wrinkles}",
    ],
    # --- ingredients ---------------------------------------------------------------------------
    "ingredient/retinol": [
        f"{BEST} retinol {{serum|cream}}",
        "retinol {for beginners|serum reviews|cream 2025}",
    ],
    "ingredient/vitamin-c": [
        f"{BEST} vitamin c {{serum|serums}}",
        "vitamin c serum {reviews|2025|for face}",
    ],
    "ingredient/niacinamide": [
        f"{BEST} niacinamide {{serum|serums}}",
        "niacinamide serum {reviews|2025}",
    ],
    # --- how-tos that share the words -----------------------------------------------------------
    "how/routine-order": [
        "{skincare|skin care} routine order",
        "what order to apply {skincare|skin care products}",
        "{skincare|skin care} steps {in order|morning and night}",
    ],
    "how/retinol-use": [
        "how to use retinol {for the first time|safely|}",
        "how often {to use|should i use} retinol",
    ],
    "how/vitamin-c-use": [
        "how to use vitamin c serum",
        "when to apply vitamin c serum {morning or night|}",
    ],
    "how/sunscreen-reapply": [
        "how often to reapply sunscreen",
        "{do you need to|should you} reapply sunscreen {indoors|every 2 hours}",
    ],
    "info/retinol-vs-retinoid": [
        "retinol vs {retinoid|retinal|tretinoin}",
        "difference between retinol and {retinoids|tretinoin}",
    ],
    "info/what-is-niacinamide": [
        "what is niacinamide",
        "what does niacinamide do {for skin|}",
        "niacinamide benefits {for skin|}",
    ],
    # --- buying and price ---------------------------------------------------------------------
    "buy/near-me": [
        "{skincare store|beauty store|beauty supply store} near me",
        "where to buy skincare {near me|nearby}",
    ],
    "buy/sale": [
        "skincare {sale|deals|discount|clearance}",
        "{black friday|sephora} skincare {sale|deals}",
    ],
    "price/budget": [
        "{best|good} {cheap|affordable|budget|drugstore} skincare",
        "skincare under {20|$20}",
    ],
    "price/luxury": [
        "{best|top} {luxury|high end|expensive} skincare",
        "luxury skincare brands",
    ],
    # --- brands and navigation ------------------------------------------------------------------
    "brand/cerave": [
        "cerave {moisturizing cream|cleanser|products}",
        "cerave {review|reviews}",
    ],
    "brand/the-ordinary": [
        "the ordinary {niacinamide|retinol|products}",
        "the ordinary {review|reviews|regimen guide}",
    ],
    "nav/sephora": [
        "sephora {login|log in|sign in}",
        "sephora {my account|customer service number}",
    ],
    "services/facial": [
        "facial near me",
        "{facial|facials} {spa|salon} near me",
        "how much does a facial cost",
    ],
}
