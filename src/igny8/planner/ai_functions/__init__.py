"""The planner's AI functions, registered in igny8.ai.registry by these dotted paths."""

from igny8.planner.ai_functions.cluster import AutoClusterFunction
from igny8.planner.ai_functions.ideas import GenerateIdeasFunction

__all__ = ["AutoClusterFunction", "GenerateIdeasFunction"]
