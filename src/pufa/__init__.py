"""pufa: publish a county legal-education (普法) campaign as a website and podcast.

The content core (everything except :mod:`pufa.plugin`) does not import MkDocs,
so that the campaign model survives a change of renderer.
"""

__version__ = "0.1.0"
