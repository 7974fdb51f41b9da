"""The writer's AI functions, one folder each (class + prompt files), found by igny8.ai.discovery."""
