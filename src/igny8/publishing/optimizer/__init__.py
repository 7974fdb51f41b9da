"""The deterministic SEO score (score.py) and the fixes that need no AI (fixes.py)."""

from igny8.publishing.optimizer.score import Article, Check, Score, score_article

__all__ = ["Article", "Check", "Score", "score_article"]
