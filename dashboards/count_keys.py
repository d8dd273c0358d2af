"""How counts are keyed, in the tallies and in a release alike: (item key, choice) is a
question's answers, (item key, "") those who answered it, and TOTAL everyone.

A module of its own because every submit writes tallies under these keys, and a
respondent's worker should not import the release and dashboard code to do so."""

TOTAL = ("", "")
