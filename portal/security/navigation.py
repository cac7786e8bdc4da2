"""The Oscar dashboard's link to the two-factor page (OSCAR_DASHBOARD_NAVIGATION).

Oscar decides who sees a navigation entry from its dashboard apps' permissions, and our page
is no dashboard app's: everyone who reaches the dashboard may open their own two-factor page.
Imported by the settings, so it imports no model.
"""


def signed_in(user, url_name, url_args=None, url_kwargs=None) -> bool:
    return user.is_authenticated
