"""heatpath — plan and operate district heating under Article 26 of the EU EED.

The package is layered, data flowing one way::

    model -> physics -> eed -> dispatch -> economics -> planning -> report -> cli

Lower layers never import higher ones.
"""

__version__ = "0.1.0"
