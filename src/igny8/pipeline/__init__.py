"""The main job, headless: keyword file in, exported articles out, every stage through the same
services and AI engine the API uses."""
