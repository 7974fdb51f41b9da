"""Labelled groups for vpn_holdout.csv (bench/data/make_niche_sets.py writes it): VPNs, a software
service rather than a physical product, written after the fourth round of rules and the threshold
change were committed and before this set was ever clustered: the held-out set of round 5. Near
misses on purpose: platform (iphone / android / windows / mac / router / fire tv / chrome), use
(streaming / gaming / torrenting / business), country (uk / usa / china), price (free / cheap /
deals), how-tos that share the platform words (set up on iphone / windows / router), troubles
(not connecting / slow) beside "fastest vpn", questions (legal / safe / worth it), comparisons that
share a brand (nordvpn vs expressvpn / vs surfshark), brand reviews and a navigational login."""

BEST = "{best|top|top rated|good}"

VPN_GROUPS: dict[str, list[str]] = {
    # --- the head term ---------------------------------------------------------------------------
    "best/overall": [
        f"{BEST} vpn {{2025|service|services|provider|providers}}",
        "vpn {reviews|comparison|rankings}",
        "best vpn",
    ],
    # --- platforms -------------------------------------------------------------------------------
    "platform/iphone": [
        f"{BEST} vpn {{for iphone|for ios|app for iphone|for iphone and ipad}}",
        "iphone vpn {app|apps|reviews}",
    ],
    "platform/android": [
        f"{BEST} vpn {{for android|app for android|for android phone}}",
        "android vpn {app|apps|reviews}",
    ],
    "platform/windows": [
        f"{BEST} vpn {{for windows|for windows 11|for pc|for windows 10}}",
        "vpn for {pc|laptop} {reviews|2025}",
    ],
    "platform/mac": [
        f"{BEST} vpn {{for mac|for macbook|for macos|for macbook air}}",
        "mac vpn {app|reviews|2025}",
    ],
    "device/router": [
        f"{BEST} vpn {{router|routers|for router|for home router}}",
        "vpn router {reviews|2025|for home}",
    ],
    "device/firestick": [
        f"{BEST} vpn {{for firestick|for fire tv stick|for fire tv|for amazon firestick}}",
        "firestick vpn {app|reviews|2025}",
    ],
    "device/chrome-extension": [
        f"{BEST} vpn {{extension for chrome|chrome extension|browser extension}}",
        "vpn {extension|add on} for {chrome|google chrome|firefox}",
    ],
    # --- uses ------------------------------------------------------------------------------------
    "use/streaming": [
        f"{BEST} vpn {{for netflix|for streaming|for hulu|for bbc iplayer}}",
        "vpn that {works with netflix|unblocks netflix}",
        "streaming vpn {reviews|2025}",
    ],
    "use/gaming": [
        f"{BEST} vpn {{for gaming|for online gaming|for low ping}}",
        "gaming vpn {reviews|2025|low ping}",
        "vpn to reduce {lag|ping} in games",
    ],
    "use/torrenting": [
        f"{BEST} vpn {{for torrenting|for torrents|for p2p|for downloading torrents}}",
        "torrent vpn {reviews|2025}",
    ],
    "use/business": [
        f"{BEST} vpn {{for small business|for business|for remote workers|for teams}}",
        "business vpn {service|solutions|reviews}",
    ],
    "use/speed": [
        f"{BEST} {{fastest|fast}} vpn {{2025|service|for streaming speeds}}",
        "fastest vpn {2025|reviews|speed test results}",
    ],
    # --- countries -------------------------------------------------------------------------------
    "country/uk": [
        f"{BEST} vpn {{for uk|for the uk|with uk servers}}",
        "uk vpn {server|ip address|free trial}",
    ],
    "country/usa": [
        f"{BEST} vpn {{for usa|for the us|with us servers}}",
        "us vpn {server|ip address|free trial}",
    ],
    "country/china": [
        f"{BEST} vpn {{for china|that works in china|for travelling to china}}",
        "china vpn {2025|that still works}",
    ],
    # --- price -----------------------------------------------------------------------------------
    "price/free": [
        f"{BEST} free vpn {{2025|service|with no ads|unlimited}}",
        "free vpn {no sign up|unlimited data|that actually works}",
    ],
    "price/cheap": [
        "{cheapest|cheap|affordable|budget} vpn {service|2025|deals}",
        "vpn under {$3|$5} a month",
    ],
    "buy/deals": [
        "vpn {deals|deal|discount|coupon|coupon code|promo code}",
        "{black friday|cyber monday} vpn {deals|sale}",
    ],
    # --- questions -------------------------------------------------------------------------------
    "info/what-is": [
        "what is a vpn {|and how does it work|used for}",
        "{how does a vpn work|what does a vpn do|vpn meaning|vpn explained}",
    ],
    "info/free-safe": [
        "are free vpns safe {to use|}",
        "{is it safe to use a free vpn|free vpn risks|dangers of free vpns}",
    ],
    "info/legal": [
        "{is using a vpn legal|are vpns legal|is vpn legal}",
        "are vpns legal in {the us|the uk|china}",
    ],
    "info/worth-it": [
        "{do i need a vpn|is a vpn worth it|should i use a vpn}",
        "do i need a vpn {at home|on my phone|for home wifi}",
    ],
    "info/vpn-vs-proxy": [
        "{vpn vs proxy|proxy vs vpn|difference between vpn and proxy}",
        "{is a proxy the same as a vpn|proxy or vpn which is better}",
    ],
    "info/protocols": [
        "{wireguard vs openvpn|openvpn vs wireguard|ikev2 vs wireguard}",
        "{best vpn protocol|which vpn protocol is fastest|vpn protocols explained}",
    ],
    # --- how-tos sharing the platform words ------------------------------------------------------
    "how/setup-iphone": [
        "how to {set up|setup|use|add} a vpn on {iphone|ios|ipad}",
        "how to turn on vpn on iphone",
    ],
    "how/setup-windows": [
        "how to {set up|setup|connect to} a vpn on windows {10|11}",
        "how to set up a vpn on {a pc|a laptop}",
    ],
    "how/setup-router": [
        "how to {set up|setup|install} a vpn on {a router|your router|a home router}",
        "vpn router setup {guide|step by step}",
    ],
    "how/change-location": [
        "how to change {your location|your ip address|country} with a vpn",
        "how to change vpn {location|country|server}",
    ],
    # --- troubles --------------------------------------------------------------------------------
    "trouble/not-connecting": [
        "vpn {not connecting|not working|keeps disconnecting|won't connect}",
        "why is my vpn {not working|not connecting|disconnecting}",
    ],
    "trouble/slow": [
        "{why is my vpn so slow|vpn slowing down internet|vpn slow internet}",
        "how to make {a vpn|my vpn} faster",
    ],
    # --- brands ----------------------------------------------------------------------------------
    "compare/nord-vs-express": [
        "{nordvpn vs expressvpn|expressvpn vs nordvpn|nordvpn or expressvpn}",
        "{nordvpn vs expressvpn|expressvpn vs nordvpn} {reddit|speed|2025}",
    ],
    "compare/nord-vs-surfshark": [
        "{nordvpn vs surfshark|surfshark vs nordvpn|nordvpn or surfshark}",
        "{nordvpn vs surfshark|surfshark vs nordvpn} {reddit|speed|2025}",
    ],
    "brand/nordvpn": [
        "nordvpn {review|reviews|pricing|price}",
        "is nordvpn {good|worth it|safe}",
    ],
    "brand/expressvpn": [
        "expressvpn {review|reviews|pricing|price}",
        "is expressvpn {good|worth it|safe}",
    ],
    "nav/nordvpn-login": [
        "nordvpn {login|log in|sign in|account login}",
        "nordvpn {my account|dashboard login}",
    ],
}
