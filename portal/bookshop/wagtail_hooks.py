"""Admin: the bookshop's reservations, each territory's editors seeing only their own."""

import functools

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from portal.territories.admin_scope import territories_of

from .models import Reservation
from .reservations import set_status


class TerritoryReservationPolicy(ModelPermissionPolicy):
    """Model permissions (given to editors by the generator), limited to own territories."""

    def _own(self, user, instance) -> bool:
        return user.is_superuser or instance.territory_id in {t.pk for t in territories_of(user)}

    def user_has_permission_for_instance(self, user, action, instance):
        return self._own(user, instance) and super().user_has_permission_for_instance(
            user, action, instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self._own(user, instance) and super().user_has_any_permission_for_instance(
            user, actions, instance
        )

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if user.is_superuser:
            return instances
        return instances.filter(territory__in=territories_of(user))


def _own_reservations_only(view):
    @functools.wraps(view)
    def scoped(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and not request.user.is_superuser:
            own = Reservation.objects.filter(
                pk=unquote(str(pk)), territory__in=territories_of(request.user)
            )
            if not own.exists():
                raise Http404("Not part of your portal.")
        return view(request, *args, **kwargs)

    return scoped


class ReservationEditView(EditView):
    """The bookshop moves a reservation on; the reader is told when the book is ready."""

    def save_instance(self):
        previous = (
            Reservation.objects.filter(pk=self.object.pk).values_list("status", flat=True).first()
        )
        instance = super().save_instance()
        set_status(instance, previous or "")
        return instance


class ReservationViewSet(SnippetViewSet):
    model = Reservation
    edit_view_class = ReservationEditView
    icon = "doc-full"
    menu_label = _("Book reservations")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["book_title", "name", "email", "phone", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["book_title", "name", "email"]
    # The bookshop moves a reservation along; what the reader wrote stays as they wrote it.
    panels = [
        FieldPanel("status"),
        FieldPanel("book_title", read_only=True),
        FieldPanel("isbn", read_only=True),
        FieldPanel("name", read_only=True),
        FieldPanel("email", read_only=True),
        FieldPanel("phone", read_only=True),
        FieldPanel("notes"),
    ]
    inspect_view_enabled = True

    def get_urlpatterns(self):
        """Every view of one reservation (edit, inspect, history, delete…) is scoped: a
        reservation of another territory is a 404, as the rest of the admin answers."""
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            pattern.callback = _own_reservations_only(pattern.callback)
        return patterns

    def get_queryset(self, request):
        queryset = Reservation.objects.select_related("territory", "bookshop")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(territory__in=territories_of(request.user))


register_permission_policy(Reservation, TerritoryReservationPolicy(Reservation))
register_snippet(ReservationViewSet)
