"""Labelled groups for pm_holdout.csv (bench/data/make_niche_sets.py writes it): project management
software, a B2B software niche, written for the adaptive-threshold experiment (issue 15 point 1)
before this set was ever clustered and before any threshold criterion was designed: the held-out
set of that experiment. Near misses on purpose: audience (small business / teams / agencies /
construction / nonprofits / freelancers), platform (mac / mobile app), price (free / cheap),
method (agile / kanban / scrum boards / gantt charts), features (time tracking / resource
management / client portal), deployment (self-hosted / open source), how-tos that share the method
words (make a gantt chart, write a project plan, run a sprint retrospective), knowledge questions
(agile vs waterfall, what is kanban), brand reviews, brand comparisons that share a brand, brand
alternatives, pricing, a navigational login, templates, and certifications beside the software."""

BEST = "{best|top|top rated|good}"
PMS = "{project management software|project management tool|project management tools|project management app}"

PM_GROUPS: dict[str, list[str]] = {
    # --- the head term ---------------------------------------------------------------------------
    "best/overall": [
        f"{BEST} {PMS} {{|2025}}",
        "project management software {reviews|comparison|rankings}",
        "best project management software",
    ],
    # --- audiences -------------------------------------------------------------------------------
    "audience/small-business": [
        f"{BEST} {PMS} for small {{business|businesses|companies}}",
        "small business project management {software|tools|app}",
    ],
    "audience/teams": [
        f"{BEST} {{project management|task management}} software for "
        "{teams|remote teams|team collaboration}",
        "team project management {tool|app} {for remote teams|for collaboration}",
    ],
    "audience/agencies": [
        f"{BEST} {PMS} for {{agencies|marketing agencies|creative agencies}}",
        "agency project management {software|tool} {reviews|2025}",
    ],
    "audience/construction": [
        f"{BEST} {{construction project management software|project management software for construction}}",
        "construction project management {app|tools|software for contractors}",
    ],
    "audience/nonprofits": [
        f"{BEST} {PMS} for {{nonprofits|non profits|charities}}",
        "nonprofit project management {software|tools}",
    ],
    "audience/freelancers": [
        f"{BEST} {PMS} for {{freelancers|solo freelancers|consultants}}",
        "freelancer project management {app|tool|software}",
    ],
    "audience/software-dev": [
        f"{BEST} {PMS} for {{software development|developers|software teams|dev teams}}",
        "{software development|dev team} project management {tools|software}",
    ],
    # --- platforms and price ---------------------------------------------------------------------
    "platform/mac": [
        f"{BEST} {PMS} for {{mac|macos|macbook}}",
        "mac project management {app|software}",
    ],
    "platform/mobile": [
        f"{BEST} project management {{app for iphone|app for android|mobile app|apps for ipad}}",
        "project management app for {phone|iphone|android}",
    ],
    "price/free": [
        f"{BEST} free {PMS}",
        "free project management {software|tools|app} {for small teams|with gantt chart|no credit card|}",
    ],
    "price/cheap": [
        "{cheapest|cheap|affordable|low cost} {project management software|project management tool}",
        "project management software under {$10|$5} per user",
    ],
    "deploy/self-hosted": [
        "{self hosted|self-hosted|on premise|on-premise} "
        "{project management software|project management tool}",
        "open source project management software {self hosted|for linux|like jira}",
    ],
    # --- methods and features ----------------------------------------------------------------------
    "method/agile": [
        f"{BEST} {{agile project management software|agile project management tools|scrum software}}",
        "{agile|scrum} project management {tool|app} {for teams|2025}",
    ],
    "method/kanban": [
        f"{BEST} {{kanban software|kanban board app|kanban tools|online kanban board}}",
        "kanban board {software|app|tool} {free|for teams}",
    ],
    "feature/gantt": [
        f"{BEST} {{gantt chart software|gantt chart tool|gantt chart app}}",
        "project management software with {gantt charts|gantt chart|timeline view}",
        "online gantt chart {maker|software}",
    ],
    "feature/time-tracking": [
        f"{BEST} project management software with time tracking",
        "{time tracking and project management|project time tracking} {software|app|tool}",
    ],
    "feature/resource": [
        f"{BEST} {{resource management software|resource planning software|resource management tool}}",
        "resource {allocation|scheduling|capacity planning} software for {projects|teams}",
    ],
    "feature/client-portal": [
        "project management software with {client portal|client access|client collaboration}",
        "{client portal|client facing} project management {tool|app}",
    ],
    # --- brands ------------------------------------------------------------------------------------
    "brand/asana-review": [
        "asana {review|reviews|pros and cons}",
        "is asana {good|worth it|worth paying for}",
    ],
    "brand/trello-review": [
        "trello {review|reviews|pros and cons}",
        "is trello {good|worth it|still good}",
    ],
    "brand/monday-pricing": [
        "{monday.com|monday} {pricing|price|cost|plans}",
        "how much does monday.com cost {per user|per month}",
    ],
    "brand/jira-pricing": [
        "jira {pricing|price|cost|plans}",
        "how much does jira cost {per user|per month|for small teams}",
    ],
    "compare/asana-vs-trello": [
        "{asana vs trello|trello vs asana|asana or trello}",
        "{asana vs trello|trello vs asana} {for small teams|reddit|2025}",
    ],
    "compare/asana-vs-monday": [
        "{asana vs monday|monday vs asana|asana vs monday.com|asana or monday}",
        "{asana vs monday|monday vs asana} {reddit|pricing|2025}",
    ],
    "compare/jira-vs-trello": [
        "{jira vs trello|trello vs jira|jira or trello}",
        "{jira vs trello|trello vs jira} {for agile|reddit|2025}",
    ],
    "alt/trello": [
        "{trello alternatives|alternatives to trello|apps like trello|tools like trello}",
        "{free|better|open source} trello {alternative|alternatives}",
    ],
    "alt/jira": [
        "{jira alternatives|alternatives to jira|tools like jira|software like jira}",
        "{free|simpler|lightweight} jira {alternative|alternatives}",
    ],
    "nav/asana-login": [
        "asana {login|log in|sign in}",
        "{asana.com login|asana app login|asana account login}",
    ],
    # --- knowledge and how-tos --------------------------------------------------------------------
    "info/what-is": [
        "what is project management software {|used for}",
        "{how does project management software work|project management software explained"
        "|what does project management software do}",
    ],
    "info/agile-vs-waterfall": [
        "{agile vs waterfall|waterfall vs agile|difference between agile and waterfall}",
        "{agile or waterfall which is better|agile vs waterfall project management}",
    ],
    "info/what-is-kanban": [
        "what is {kanban|a kanban board|kanban in project management}",
        "{how does kanban work|kanban explained|kanban method explained}",
    ],
    "how/gantt-chart": [
        "how to {make|create|build} a gantt chart {in excel|in google sheets|}",
        "gantt chart {tutorial|step by step}",
    ],
    "how/project-plan": [
        "how to {write|create|make} a project plan",
        "{project plan steps|steps to create a project plan|how to plan a project step by step}",
    ],
    "how/retrospective": [
        "how to run a {sprint retrospective|retrospective|retro meeting}",
        "{sprint retrospective|retrospective meeting} {ideas|questions|format}",
    ],
    "template/project-plan": [
        "project plan template {excel|word|google sheets|free}",
        "{free|simple} project {plan|management} template",
    ],
    "cert/pmp": [
        "{pmp certification|pmp certificate|pmp exam} {requirements|cost|prep}",
        "how to get pmp certified",
        "{best|top} pmp {exam prep course|prep course|study guide}",
    ],
}
