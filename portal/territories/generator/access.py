"""Steps 5-6: the portal's media collection, its editors and moderators, and moderation."""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from shop.dashboard.orders.access import dashboard_access

from ..groups import own_group

EDITOR_PAGE_PERMS = ("add_page", "change_page", "lock_page")
MODERATOR_PAGE_PERMS = (*EDITOR_PAGE_PERMS, "publish_page", "unlock_page")
EDITOR_MEDIA_PERMS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
MODERATOR_MEDIA_PERMS = (
    *EDITOR_MEDIA_PERMS,
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "delete_document"),
)


class AccessSteps:
    # 5 ----------------------------------------------------------------------------------------
    def step_collection(self) -> None:
        territory = self.territory
        if territory.collection_id is None:
            collection = Collection.get_first_root_node().add_child(name=self.spec.name)
            territory.collection = collection
            territory.save(update_fields=["collection"])
            self.seeder.count("collection", True, self.spec.name)
        elif territory.collection.name != self.spec.name:
            territory.collection.name = self.spec.name
            territory.collection.save()
            self.seeder.updated["collection"] += 1

    # 6 ----------------------------------------------------------------------------------------
    def step_groups(self) -> None:
        territory = self.territory
        territory.editors = self._group(
            "editors", _("%(portal)s editors") % {"portal": self.spec.name}
        )
        territory.moderators = self._group(
            "moderators", _("%(portal)s moderators") % {"portal": self.spec.name}
        )
        territory.save(update_fields=["editors", "moderators"])
        territory.moderators.permissions.add(dashboard_access())  # territory staff: its orders
        access_admin = Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
        change_settings = Permission.objects.get(
            content_type__app_label="territories", codename="change_portalsettings"
        )
        for group, page_perms, media_perms in (
            (territory.editors, EDITOR_PAGE_PERMS, EDITOR_MEDIA_PERMS),
            (territory.moderators, MODERATOR_PAGE_PERMS, MODERATOR_MEDIA_PERMS),
        ):
            group.permissions.add(access_admin)
            # the admin's "Translate" action (wagtail-localize) on their own pages
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label="wagtail_localize", codename="submit_translation"
                )
            )
            for home in self.homes.values():
                for codename in page_perms:
                    _perm, created = GroupPagePermission.objects.get_or_create(
                        group=group,
                        page=home,
                        permission=Permission.objects.get(
                            content_type__app_label="wagtailcore", codename=codename
                        ),
                    )
                    self.seeder.count("page permission", created)
            for app_label, codename in media_perms:
                _perm, created = GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=territory.collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=codename
                    ),
                )
                self.seeder.count("media permission", created)
            _perm, created = GroupSitePermission.objects.get_or_create(
                group=group, site=territory.site, permission=change_settings
            )
            self.seeder.count("settings permission", created)
        self._workflow()

    def _group(self, role: str, name: str) -> Group:
        group, created = own_group(getattr(self.territory, role), name, self.spec.slug)
        self.seeder.count("group", created, group.name)
        return group

    def _workflow(self) -> None:
        """Editors submit, the territory's moderators publish."""
        name = _("%(portal)s moderation") % {"portal": self.spec.name}
        key = self.key("workflow")
        record = self.seeder.record(key)
        workflow = Workflow.objects.filter(pk=record.value["id"]).first() if record else None
        if workflow is None and record is None:
            workflow = Workflow.objects.create(name=name)
            task = GroupApprovalTask.objects.create(name=_("Moderators' approval"))
            task.groups.set([self.territory.moderators])
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            self.seeder.remember(key, {"id": workflow.pk})
            self.seeder.count("workflow", True, name)
        if workflow is not None:
            for home in self.homes.values():
                _wp, created = WorkflowPage.objects.get_or_create(
                    page=home, defaults={"workflow": workflow}
                )
                self.seeder.count("workflow page", created)
