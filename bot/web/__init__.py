"""The Mini App: the operator's form as a web page inside Telegram (optional).

``initdata`` checks Telegram's signed launch data (pure); ``server`` serves the page and its
JSON API with aiohttp, as thin adapters over the same services as chat; ``static/`` holds
the page itself (HTML, CSS and a small script, no build step).
"""
