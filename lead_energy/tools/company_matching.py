"""Does an existing company look like the lead's? Names, e-mail and web domains."""

import re
from urllib.parse import urlsplit

# Addresses of these providers say nothing about the prospect's company.
FREEMAIL_DOMAINS = {
    "aol.com", "freenet.de", "gmail.com", "gmx.at", "gmx.ch", "gmx.de", "gmx.net",
    "googlemail.com", "hotmail.com", "icloud.com", "live.com", "mail.de", "me.com",
    "outlook.com", "outlook.de", "posteo.de", "protonmail.com", "t-online.de",
    "web.de", "yahoo.com", "yahoo.de",
}  # fmt: skip
LEGAL_FORMS = re.compile(
    r"(&\s*co\b|\b(gmbh|mbh|ag|kg|ohg|ug|eg|e\.?\s?v|se|gbr|co|ltd|inc|llc)\b)\.?",
    re.IGNORECASE,
)
MATCH_POINTS = {
    "name": 40,
    "similar_name": 25,
    "domain": 30,
    "website": 30,
    "phone": 35,
}


def core_name(name):
    """'Stadtwerke Rheinau GmbH' and 'stadtwerke rheinau' are the same company."""
    return " ".join(
        LEGAL_FORMS.sub(" ", (name or "").lower()).replace(",", " ").split()
    )


def web_domain(url):
    if not url:
        return False
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.") or False


def company_email_domain(email_domain):
    """The e-mail domain if it names a company, False for free-mail providers."""
    return email_domain if email_domain not in FREEMAIL_DOMAINS else False


def match_reasons(name, email_domain, site, phone, partner):
    """Why a partner matches the lead, as keys of MATCH_POINTS.

    ``name`` is the lead's core name, ``email_domain`` and ``site`` its company
    domains, ``phone`` its sanitized phone; ``partner`` is a dict with the
    partner's ``name``, ``domains`` (of its e-mail and website) and ``phone``.
    """
    reasons = []
    partner_name = core_name(partner["name"])
    if name and partner_name == name:
        reasons.append("name")
    elif name and partner_name and (name in partner_name or partner_name in name):
        reasons.append("similar_name")
    domains = partner["domains"]
    if email_domain and email_domain in domains:
        reasons.append("domain")
    if site and site in domains and "domain" not in reasons:
        reasons.append("website")
    if phone and partner["phone"] == phone:
        reasons.append("phone")
    return reasons


def match_points(reasons):
    return sum(MATCH_POINTS[key] for key in reasons)
