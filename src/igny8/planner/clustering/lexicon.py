"""Word lists for intent and modifier rules (intent.py), English plus a few Spanish and German cues.

Each modifier phrase maps to one (dimension, value): keywords naming different values of one
dimension ("women" vs "men") never share a cluster; synonyms map to the same value ("ladies" =
"women"). Phrases are matched on whole words, longest first ("small business" is an audience
before "small" could be a size). Adding a word here changes clusters: tests pin the behaviour."""

from __future__ import annotations

IGNORED = "_ignored"


def _table(spec: dict[str, dict[str, str]]) -> dict[tuple[str, ...], tuple[str, str]]:
    table: dict[tuple[str, ...], tuple[str, str]] = {}
    for dimension, values in spec.items():
        for value, phrases in values.items():
            for phrase in phrases.split(","):
                key = tuple(phrase.split())
                if key in table:
                    raise ValueError(f"{phrase!r} is listed twice")
                table[key] = (dimension, value)
    return table


def _cues(phrases: str) -> dict[tuple[str, ...], bool]:
    return {tuple(phrase.split()): True for phrase in phrases.split(",")}


# dimension -> value -> comma-separated phrases (already case-folded, apostrophes removed)
_MODIFIER_SPEC: dict[str, dict[str, str]] = {
    # Phrases that would otherwise be misread as a modifier: matched (longest first) and dropped.
    IGNORED: {
        "": "to budget,a budget,make a budget,budget explained,your budget,on a budget,customer service,"
        "customer service number,fall asleep,falling asleep,fall out,fall off,fall apart,hair fall"
    },
    # The time of year a keyword is about ("lawn fertilizer for spring" vs "... for fall"): another
    # page, but no facet, so "when to overseed in fall" stays with "how to overseed a lawn".
    "season": {
        "spring": "spring,springtime",
        "summer": "summer,summertime",
        "fall": "fall,autumn",
        "winter": "winter,wintertime",
    },
    "audience": {
        "women": "women,womens,woman,ladies,lady,female,females,mujer,mujeres,damen,frauen",
        "men": "men,mens,man,male,males,guys,hombre,hombres,herren,männer",
        "kids": "kids,kid,children,childrens,child,boys,girls,toddler,toddlers,teens,teen,teenagers,"
        "youth,junior,niños,niñas,kinder",
        "seniors": "seniors,elderly,older adults,old people",
        "students": "students,student,college students,university students,high school,college,university",
        "beginners": "beginners,beginner,new runners,couch to 5k,principiantes,anfänger",
        "business": "business,small business,businesses,startups,startup,llc,empresas",
        "nurses": "nurses,nurse",
        "couples": "couples",
        "brides": "wedding dress,wedding dresses,bride,brides,bridal,wedding gown,wedding gowns",
        "bridesmaids": "bridesmaid,bridesmaids,bridesmaid dress,bridesmaid dresses",
        "puppies": "puppy,puppies,cachorro,cachorros,welpen",
        "senior pets": "senior dog,senior dogs,old dog,old dogs,older dog,older dogs,elderly dog,"
        "elderly dogs,senior cat,senior cats,older cat,older cats",
    },
    "animal": {
        "dog": "dog,dogs,perro,perros,hund",
        "cat": "cat,cats,kitten,kittens,gato,gatos,katze",
    },
    "platform": {
        "iphone": "iphone,iphones,ios,ipad",
        "android": "android,samsung galaxy,google pixel,pixel",
        "mac": "mac,macbook,macos,imac",
        "windows": "windows,pc,windows 10,windows 11",
        "linux": "linux,ubuntu",
        "chromebook": "chromebook",
        "playstation": "ps5,ps4,playstation",
        "xbox": "xbox",
        "python": "python",
        "javascript": "javascript,js,node,nodejs",
        "java": "java",
        "excel": "excel",
        "google sheets": "google sheets",
    },
    "condition": {
        "flat feet": "flat feet,flat foot,fallen arches,low arches,low arch,pie plano,pies planos,plattfüße",
        "high arches": "high arches,high arch,high arched feet,high arched",
        "plantar fasciitis": "plantar fasciitis,heel pain,heel spurs,fascitis plantar",
        "overpronation": "overpronation,overpronators,overpronator,pronation,pronadores,pronador",
        "back pain": "back pain,lower back pain,bad back",
        "knee pain": "knee pain,bad knees",
        "diabetes": "diabetes,diabetics,diabetic",
        "pregnancy": "pregnancy,pregnant",
        "arthritis": "arthritis",
        "acne": "acne,pimples,breakouts,acne prone,acne-prone",
        "rosacea": "rosacea",
        "eczema": "eczema",
        "psoriasis": "psoriasis",
        "dandruff": "dandruff",
        "wrinkles": "wrinkles,anti aging,anti-aging,fine lines",
        "dark spots": "dark spots,dark spot,hyperpigmentation,age spots,age spot,sun spots,sun spot",
        "dark circles": "dark circles,under eye circles",
        "bad credit": "bad credit,poor credit,mal historial",
        "fair credit": "fair credit,average credit",
        "no credit": "no credit,no credit history,from scratch,sin historial",
        "excellent credit": "excellent credit",
        # Where a plant grows ("grass seed for shade" vs "... for full sun").
        "shade": "shade,shady,shaded,low light",
        "full sun": "full sun,sunny,direct sun,direct sunlight",
    },
    "variant": {
        "trail": "trail,trails,montaña,off road",
        "road": "road,asfalto",
        "treadmill": "treadmill,treadmills,cinta",
        "marathon": "marathon,marathons,half marathon,long distance,long runs,marathon training,maratón",
        "waterproof": "waterproof,gore-tex,gore tex,goretex,impermeables,impermeable",
        "wireless": "wireless,bluetooth,inalámbricos",
        "wired": "wired",
        "noise cancelling": "noise cancelling,noise canceling,anc",
        "keto": "keto,ketogenic",
        "vegan": "vegan,plant based,vegano",
        "vegetarian": "vegetarian",
        "gluten free": "gluten free",
        "air fryer": "air fryer,airfryer",
        "oven": "oven,horno",
        "grill": "grill,grilled,bbq",
        "slow cooker": "slow cooker,crock pot,crockpot",
        "instant pot": "instant pot,pressure cooker",
        "microwave": "microwave",
        "hard boiled": "hard boiled,hard boil,hardboiled",
        "soft boiled": "soft boiled,soft boil,jammy",
        "electric": "electric,ebike,ebikes,e-bike,e-bikes,e bike,e bikes,cordless,battery powered,"
        "battery operated",
        "robotic": "robot,robots,robotic",
        "manual": "manual",
        "travel rewards": "travel,travel rewards,travelers,viajar,viajes,viaje",
        "cash back": "cash back,cashback,cash rewards,cash back rewards",
        "airline miles": "airline,airline miles,frequent flyers,earning miles,miles card,miles cards,millas",
        "hotel": "hotel,hotels,hotel points,hotel stays",
        "gas": "gas,fuel,gas stations,gasolina",
        "no annual fee": "no annual fee,without annual fee,zero fee,no fee,sin cuota,sin cuota anual,"
        "sin comisiones",
        "no foreign fee": "no foreign transaction fee,no foreign transaction fees,no fx fee,abroad,"
        "sin comisiones en el extranjero,en el extranjero",
        "balance transfer": "balance transfer,balance transfers",
        "secured": "secured",
        "mountain": "mountain,mtb",
        "gravel": "gravel",
        "hybrid": "hybrid,hybrids",
        "folding": "folding,foldable",
        "bmx": "bmx",
    },
    "material": {
        "leather": "leather,cuero,leder",
        "suede": "suede",
        "mesh": "mesh",
        "canvas": "canvas",
        "cotton": "cotton",
        "wool": "wool,merino",
        "silk": "silk",
        "stainless steel": "stainless steel,stainless",
        "cast iron": "cast iron",
        "wood": "wood,wooden",
        "plastic": "plastic",
        "glass": "glass",
        "ceramic": "ceramic",
        "carbon": "carbon,carbon plate,carbon plated,carbon fiber",
        "memory foam": "memory foam",
        "latex": "latex",
        "innerspring": "innerspring,pocket spring,pocket springs,spring mattress,spring mattresses,coil,"
        "coils",
        "down": "down,down alternative,feather,feathers",
        "bamboo": "bamboo",
        "linen": "linen",
        "aluminum": "aluminum,aluminium",
        "titanium": "titanium",
        "copper": "copper",
        "porcelain": "porcelain",
    },
    # A service done on the product, not the product: "bike repair near me" is another page than
    # "bike shop near me", "phone screen repair" than "phone screen protector".
    "service": {
        "repair": "repair,repairs,tune up,tune-up,servicing",
        "installation": "installation,install,installer,installers",
        "rental": "rental,rentals,rent,hire",
    },
    # What the keyword is about when it is a part or an accessory of the product ("mattress topper",
    # "phone case"): another page than the product itself, whatever the embedding says.
    "accessory": {
        "topper": "topper,toppers,mattress topper,mattress toppers,mattress pad,mattress pads",
        "protector": "protector,protectors,screen protector,mattress protector",
        "cover": "cover,covers,case,cases",
        "frame": "bed frame,bed frames,frame,frames",
        "charger": "charger,chargers,charging cable",
        "insoles": "insoles,insole,inserts",
        "laces": "laces,shoelaces",
        "strap": "strap,straps,band,bands",
    },
    "size": {
        "wide": "wide,wide feet,wide width,extra wide,wide toe box,wide fit,ancho,anchos",
        "narrow": "narrow,narrow feet",
        "small": "small,small breeds,small breed,mini,compact",
        "large": "large,large breeds,large breed,xl,big and tall",
        "plus size": "plus size,plus-size,curvy",
        "petite": "petite",
        "twin": "twin,twin size,twin xl",
        "full": "full size,double",
        "queen": "queen,queen size",
        "king": "king,king size",
        "california king": "california king,cal king",
        "crib": "crib",
        "single": "single,single size",
    },
    "price": {
        "budget": "cheap,cheapest,budget,affordable,inexpensive,low cost,lowest cost,under 50,under 100,"
        "under $100,under 500,under 1000,under $50,baratas,barato,baratos,barata,günstig",
        "premium": "luxury,premium,high end,expensive,designer",
        "free": "free,gratis,kostenlos",
    },
    "channel": {
        "local": "near me,nearby,in my area,store,stores,shop,running store,cerca de mí,cerca de mi,tienda,"
        "en tienda",
        "online": "online,en línea",
    },
    "location": {
        "paris": "paris",
        "london": "london,londres",
        "new york": "new york,nyc",
        "los angeles": "los angeles",
        "chicago": "chicago",
        "madrid": "madrid,en madrid",
        "barcelona": "barcelona",
        "berlin": "berlin",
        "rome": "rome,roma",
        "tokyo": "tokyo",
        "sydney": "sydney",
        "toronto": "toronto",
        "uk": "uk,united kingdom,britain",
        "usa": "usa,united states",
        "canada": "canada",
        "australia": "australia",
        "india": "india",
        "germany": "germany,deutschland",
        "spain": "spain,españa",
        "mexico": "mexico,méxico",
    },
    "brand": {
        "nike": "nike",
        "adidas": "adidas",
        "hoka": "hoka",
        "brooks": "brooks",
        "asics": "asics",
        "new balance": "new balance",
        "saucony": "saucony",
        "puma": "puma",
        "reebok": "reebok",
        "chase": "chase,chase.com",
        "american express": "american express,amex,americanexpress.com",
        "capital one": "capital one,capitalone.com",
        "citi": "citi,citibank",
        "wells fargo": "wells fargo",
        "bank of america": "bank of america",
        "samsung": "samsung",
        "amazon": "amazon",
        "dell": "dell",
        "hp": "hp",
        "lenovo": "lenovo",
    },
}

MODIFIERS = _table(_MODIFIER_SPEC)
DIMENSIONS = tuple(sorted(set(_MODIFIER_SPEC) - {IGNORED}))

NAVIGATIONAL = _cues(
    "login,log in,sign in,signin,sign up,log on,official site,official website,customer service number,"
    "phone number,my account,app download,iniciar sesión,anmelden"
)
# Knowledge questions whatever words follow ("best way to", "how to choose").
HOW_TO = tuple(
    tuple(phrase.split())
    for phrase in [
        "how to",
        "how do i",
        "how do you",
        "how can i",
        "best way to",
        "fastest way to",
        "quickest way to",
        "easiest way to",
        "ways to",
        "best time to",
        "best time of day to",
        "best time of year to",
        "best month to",
        "best season to",
        "things to do",
        "what to do",
        "places to visit",
        "where to stay",
        "where to eat",
        "cómo",
        "como",
        "wie",
    ]
)
# "best mowing height for grass", "ideal water temperature", "recommended tire pressure" ask for a
# number, not a product: a measure noun (last, or before for / to / of) with one of these words.
MEASURES = frozenset(
    [
        *("height", "temperature", "temp", "pressure", "ratio", "age", "angle", "dosage", "dose"),
        *("depth", "spacing", "frequency"),
    ]
)
MEASURE_JUDGES = frozenset(
    ["best", "ideal", "optimal", "optimum", "right", "correct", "proper", "recommended", "perfect"]
)
COMMERCIAL_QUESTIONS = _cues(
    "should i buy,should i get,to buy,should i choose,is best,is the best,are the best"
)
TRANSACTIONAL = _cues(
    "near me,nearby,buy,purchase,shop,store,stores,for sale,on sale,sale,clearance,discount,"
    "discounts,deals,deal,coupon,coupons,promo code,voucher,open now,in stock,delivery,booking,"
    "apply for,where to buy,order online,order now,where to order,book online,book now,where to book,"
    "apply online,apply now,cerca de mí,cerca de mi,cerca,comprar,tienda,tiendas,oferta,ofertas,"
    "kaufen,in der nähe"
)
# Verbs that are also nouns ("skin care routine order", "cook book", "what order to apply"): a
# transactional cue only as the keyword's first word ("order pizza", "book a table") or in the
# phrases above.
IMPERATIVES = frozenset({"order", "book", "apply"})
COMMERCIAL = _cues(
    "best,top,top rated,top 10,review,reviews,compare,comparison,alternative,alternatives,"
    "recommended,recommendations,rated,price,prices,pricing,cost,buying guide,brands,mejores,mejor,"
    "comparativa,opiniones,beste,vergleich"
)
INFORMATIONAL = _cues(
    "guide,tips,explained,meaning,definition,recipe,recipes,tutorial,ideas,examples,steps,step by step,"
    "symptoms,causes,remedy,remedies,instructions,ratio,checklist,qué es,que es,was ist,why,diy,"
    "home remedy,lifespan,calculator,vs,versus,difference between,compared to,benefits,side effects"
)
QUESTION_WORDS = frozenset(
    [
        "how",
        "what",
        "why",
        "when",
        "where",
        "who",
        "which",
        "whose",
        "can",
        "could",
        "does",
        "do",
        "did",
        "is",
        "are",
        "should",
        "will",
        "would",
        "qué",
        "que",
        "cuándo",
        "cuando",
        "dónde",
        "donde",
        "cuál",
        "cuanto",
        "cuánto",
        "was",
        "wie",
        "warum",
        "wann",
        "wo",
        "welche",
    ]
)
