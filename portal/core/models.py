"""Models of the portal frame."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """One row whose value changes whenever the portal's content changes (see ``portal.core.pagecache``).

    The value is random rather than counted, so a restored backup or a reset test database
    can never bring back a value under which other content was cached.
    """

    value = models.BigIntegerField(_("value"))
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self):
        return str(self.value)
