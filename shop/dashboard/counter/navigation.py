"""The dashboard's "Redeem a voucher" entry (OSCAR_DASHBOARD_NAVIGATION): for cooperative staff.

Territory staff reach the dashboard too, but redeem nothing: the entry shows to users of a
cooperative (an Oscar partner). Imported by the settings, so it imports no model at the top.
"""


def cooperative_staff(user, url_name, url_args=None, url_kwargs=None) -> bool:
    return user.is_authenticated and user.partners.exists()
