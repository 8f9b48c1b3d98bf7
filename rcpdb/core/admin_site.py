"""rcpdb's admin site: Django's, with a second factor (a TOTP token from django-otp) at login when
``OTP_REQUIRED`` is on (README, "Staff accounts and security")."""

from django.conf import settings
from django.contrib import admin
from django_otp.admin import OTPAdminSite


class AdminSite(OTPAdminSite):
    """The admin site. With a second factor, only staff verified by a TOTP device get in (django-otp's
    ``OTPAdminSite``); without one, it is Django's plain admin login."""

    site_header = "rcpdb administration"
    site_title = "rcpdb"
    index_title = "Records of the Regional Consultative Processes"

    def __init__(self, name="admin", *, second_factor=None):
        super().__init__(name)
        self.second_factor = settings.OTP_REQUIRED if second_factor is None else second_factor
        if not self.second_factor:
            self.login_form = admin.AdminSite.login_form
            self.login_template = admin.AdminSite.login_template

    def has_permission(self, request):
        if self.second_factor:
            return super().has_permission(request)
        return admin.AdminSite.has_permission(self, request)
