"""AI providers: one small interface (base.py), adapters that do HTTP and mapping only."""
