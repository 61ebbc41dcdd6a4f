# English as the desk writes it, whichever English LANGUAGE_CODE names (en,
# en-gb, en-us): day first, the month's short name, a 24-hour clock. Django's
# own English formats mix "Dec. 1, 2026, 2:05 p.m." and "01/12/2026 14:05".
# Only the display formats are set here; what a form accepts stays Django's.
DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
