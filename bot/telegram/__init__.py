"""How the bot talks to the Bot API: retries as the API documents them."""
