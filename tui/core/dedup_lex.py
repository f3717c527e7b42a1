"""Small word lists for duplicate detection: stop words and month names (folded forms)."""

from __future__ import annotations

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}

# Function words plus words every news report uses ("said", "reported", weekdays): they say
# nothing about which event a report describes.
STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all almost also although always am among an and another
    any anyone anything are around as at back be became because been before being below between
    both but by can cannot could did do does doing done down during each either else even ever
    every few for from further had has have having he her here hers herself him himself his how
    however i if in into is it its itself just last least less like made make many may me might
    more most much must my myself near never new no nor not now of off often on once one only or
    other others our ours ourselves out over own per perhaps same several she should since so some
    still such than that the their theirs them themselves then there these they this those though
    through thus to too toward towards under until up upon us very via was we were what whatever
    when where whether which while who whom whose why will with within without would yet you your
    yours yourself yourselves said says say saying told tells according reported reports report
    reporting added adding also including include includes news agency statement statements
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow week weeks
    month months year years day days time times people mr mrs ms dr two three four five six seven
    eight nine ten first second third later earlier early late get got go going went well way
    many much including around across told asked called call calls according it's he's she's
    they're we're don't didn't doesn't isn't wasn't aren't weren't won't can't couldn't wouldn't
    read more also see photo video image copyright getty reuters ap afp the a an
    """.split()
)
