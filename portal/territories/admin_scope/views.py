"""Which admin views a non-superuser may open, and the check each URL argument passes."""

from collections.abc import Callable

from django.http import HttpRequest
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, TaskState, WorkflowState

from .ownership import own_media, own_pages, territories_of


def _page(user, pk, kwargs) -> bool:
    return own_pages(user).filter(pk=pk).exists()


def _image(user, pk, kwargs) -> bool:
    return own_media(user, get_image_model().objects.filter(pk=pk)).exists()


def _document(user, pk, kwargs) -> bool:
    return own_media(user, get_document_model().objects.filter(pk=pk)).exists()


def _site(user, pk, kwargs) -> bool:
    return any(t.site_id == int(pk) for t in territories_of(user))


def _reservation(user, pk, kwargs) -> bool:
    from portal.bookshop.models import Reservation

    return Reservation.objects.filter(pk=pk, territory__in=territories_of(user)).exists()


def _of_page(model) -> Callable:
    """A revision, workflow state or task state that belongs to the URL's own page."""

    def check(user, pk, kwargs) -> bool:
        page_id = kwargs.get("page_id") or kwargs.get("pk")
        if model is Revision and pk in ("live", "latest", "earliest"):
            return True
        field = "workflow_state__object_id" if model is TaskState else "object_id"
        return model.objects.filter(pk=pk, **{field: str(page_id)}).exists() and _page(
            user, page_id, kwargs
        )

    return check


def _own_upload(user, pk, kwargs) -> bool:
    from wagtail.models import UploadedFile

    return UploadedFile.objects.filter(pk=pk, uploaded_by_user=user).exists()


def _own_editing_session(user, pk, kwargs) -> bool:
    from wagtail.admin.models import EditingSession

    return EditingSession.objects.filter(pk=pk, user=user).exists()


def _edited_object(user, pk, kwargs) -> bool:
    """The object an editing session pings about: a page or a reservation."""
    model = (kwargs.get("app_label"), kwargs.get("model_name"))
    if model == ("wagtailcore", "page"):
        return _page(user, pk, kwargs)
    if model == ("bookshop", "reservation"):
        return _reservation(user, pk, kwargs)
    return False


def _source_object(source) -> Page | None:
    instance = source.get_source_instance() if source is not None else None
    return instance.page_ptr if isinstance(instance, Page) else None


def _translation_source(user, pk, kwargs) -> bool:
    from wagtail_localize.models import TranslationSource

    page = _source_object(TranslationSource.objects.filter(pk=pk).first())
    return page is not None and _page(user, page.pk, kwargs)


def _translation(user, pk, kwargs) -> bool:
    """A translation: both its source page and its destination page are the user's."""
    from wagtail_localize.models import Translation

    translation = Translation.objects.filter(pk=pk).select_related("source").first()
    if translation is None or not _translation_source(user, translation.source_id, kwargs):
        return False
    target = translation.get_target_instance() if translation.has_target_instance() else None
    return target is None or _page(user, target.pk, kwargs)


def _segment_of(model) -> Callable:
    def check(user, pk, kwargs) -> bool:
        from wagtail_localize.models import Translation

        translation = Translation.objects.filter(pk=kwargs["translation_id"]).first()
        return (
            translation is not None
            and model.objects.filter(pk=pk, source_id=translation.source_id).exists()
        )

    return check


def _string_segment(user, pk, kwargs) -> bool:
    from wagtail_localize.models import StringSegment

    return _segment_of(StringSegment)(user, pk, kwargs)


def _overridable_segment(user, pk, kwargs) -> bool:
    from wagtail_localize.models import OverridableSegment

    return _segment_of(OverridableSegment)(user, pk, kwargs)


def _programme(user, pk, kwargs) -> bool:
    from portal.programmes.office import own_programmes

    return own_programmes(user).filter(pk=pk).exists()


def _office_territory(user, pk, kwargs) -> bool:
    from portal.programmes.office import office_territories

    return office_territories(user).filter(pk=pk).exists()


def _application(user, pk, kwargs) -> bool:
    from portal.programmes.office import own_applications

    return own_applications(user).filter(pk=pk).exists()


def _application_document(user, pk, kwargs) -> bool:
    from portal.programmes.models import Attachment

    return Attachment.objects.filter(
        pk=pk, application_id=kwargs.get("application_id")
    ).exists() and _application(user, kwargs.get("application_id"), kwargs)


def _welfare_territory(user, pk, kwargs) -> bool:
    from portal.welfare.citizens import welfare_territories

    return welfare_territories(user).filter(pk=pk).exists()


def _welfare_citizen(user, pk, kwargs) -> bool:
    from portal.welfare.citizens import citizens_of, welfare_territories

    territory = welfare_territories(user).filter(pk=kwargs.get("territory_id")).first()
    return territory is not None and citizens_of(territory).filter(pk=pk).exists()


def _social_point(user, pk, kwargs) -> bool:
    from portal.welfare.models import SocialPoint

    return _welfare_territory(user, kwargs.get("territory_id"), kwargs) and (
        SocialPoint.objects.filter(pk=pk, territory_id=kwargs.get("territory_id")).exists()
    )


def _newsletter_issue(user, pk, kwargs) -> bool:
    """An issue of the newsletter archive, for communications staff."""
    from portal.newsletters.access import in_communications
    from portal.newsletters.models import NewsletterIssuePage

    return in_communications(user) and NewsletterIssuePage.objects.filter(pk=pk).exists()


def _campaign(user, pk, kwargs) -> bool:
    """A campaign, for communications staff (the views check the role too)."""
    from portal.campaigns.models import Campaign
    from portal.newsletters.access import in_communications

    return in_communications(user) and Campaign.objects.filter(pk=pk).exists()


def _employer(user, pk, kwargs) -> bool:
    """An employer the user administers (portal/employers/access.py)."""
    from portal.employers.access import employers_of

    return employers_of(user).filter(pk=pk).exists()


def _employee(user, pk, kwargs) -> bool:
    from portal.employers.access import employees_of

    return employees_of(user, kwargs.get("employer_id")).filter(pk=pk).exists()


def _welfare_plan(user, pk, kwargs) -> bool:
    from portal.employers.access import employers_of
    from portal.employers.models import WelfarePlan

    return WelfarePlan.objects.filter(
        pk=pk, employer__in=employers_of(user), employer_id=kwargs.get("employer_id")
    ).exists()


def _anything(user, value, kwargs) -> bool:
    """An argument that names no object of a portal (a content type, a filter spec…)."""
    return True


PAGE = {"page_id": _page}
ANY = _anything
# URL name → {URL argument: check}; {} is a view with no object argument whose data is
# scoped at the data layer (hooks) or belongs to the user alone.
ADMIN_VIEWS: dict[str, dict[str, Callable]] = {
    # the admin's frame and the user's own things
    "wagtailadmin_home": {},
    "wagtailadmin_account": {},
    "wagtailadmin_logout": {},
    "wagtailadmin_dismissibles": {},
    "wagtailadmin_block_preview": {},
    "wagtailadmin_sprite": {},
    "wagtailadmin_javascript_catalog": {},
    "wagtail_localize:javascript_catalog": {},
    "wagtailadmin_editing_sessions:ping": {
        "app_label": ANY,
        "model_name": ANY,
        "object_id": _edited_object,
        "session_id": _own_editing_session,
    },
    "wagtailadmin_editing_sessions:release": {"session_id": _own_editing_session},
    # pages: the explorer and search (querysets scoped by hooks), and one page's views
    "wagtailadmin_explore_root": {},
    "wagtailadmin_explore": {"parent_page_id": _page},
    "wagtailadmin_explore_results": {"parent_page_id": _page},
    "wagtailadmin_api:pages:listing": {},
    "wagtailadmin_api:pages:detail": {"pk": _page},
    "wagtailadmin_pages:search": {},
    "wagtailadmin_pages:search_results": {},
    "wagtailadmin_pages:choose_parent": {"app_label": ANY, "model_name": ANY},
    "wagtailadmin_pages:add": {
        "content_type_app_name": ANY,
        "content_type_model_name": ANY,
        "parent_page_id": _page,
    },
    "wagtailadmin_pages:preview_on_add": {
        "content_type_app_name": ANY,
        "content_type_model_name": ANY,
        "parent_page_id": _page,
    },
    "wagtailadmin_pages:add_subpage": {"parent_page_id": _page},
    **{
        f"wagtailadmin_pages:{name}": PAGE
        for name in (
            "usage",
            "edit",
            "preview_on_edit",
            "view_draft",
            "delete",
            "unpublish",
            "convert_alias",
            "copy",
            "confirm_workflow_cancellation",
            "set_privacy",
            "lock",
            "unlock",
            "revisions_index",
            "workflow_history",
            "history",
            "history_results",
        )
    },
    "wagtailadmin_pages:move": {"page_to_move_id": _page},
    "wagtailadmin_pages:set_page_position": {"page_to_move_id": _page},
    "wagtailadmin_pages:move_confirm": {"page_to_move_id": _page, "destination_id": _page},
    **{
        f"wagtailadmin_pages:{name}": {
            "page_id": _page,
            "action_name": ANY,
            "task_state_id": _of_page(TaskState),
        }
        for name in ("workflow_action", "collect_workflow_action_data")
    },
    "wagtailadmin_pages:workflow_preview": {"page_id": _page, "task_id": ANY},
    "wagtailadmin_pages:workflow_history_detail": {
        "page_id": _page,
        "workflow_state_id": _of_page(WorkflowState),
    },
    **{
        f"wagtailadmin_pages:revisions_{name}": {
            "page_id": _page,
            "revision_id": _of_page(Revision),
        }
        for name in ("view", "revert", "unschedule")
    },
    "wagtailadmin_pages:revisions_compare": {
        "pk": _page,
        "revision_id_a": _of_page(Revision),
        "revision_id_b": _of_page(Revision),
    },
    # the page chooser (queryset scoped by a hook)
    "wagtailadmin_choose_page": {},
    "wagtailadmin_choose_page_child": {"parent_page_id": _page},
    "wagtailadmin_choose_page_search": {},
    "wagtailadmin_choose_page_chosen_multiple": {},  # ?id= checked below
    "wagtailadmin_choose_page_external_link": {},
    "wagtailadmin_choose_page_email_link": {},
    "wagtailadmin_choose_page_phone_link": {},
    "wagtailadmin_choose_page_anchor_link": {},
    # the same choosers, answering bad input with a form error (portal/content/link_choosers.py)
    "portal_choose_external_link": {},
    "portal_choose_email_link": {},
    "wagtail_bulk_action": {"app_label": ANY, "model_name": ANY, "action": ANY},  # ?id=
    # images and documents: lists scoped by collection permissions, one item by its collection
    "wagtailimages:index": {},
    "wagtailimages:index_results": {},
    "wagtailimages:add": {},
    "wagtailimages:add_multiple": {},
    **{
        f"wagtailimages:{name}": {"image_id": _image}
        for name in (
            "edit",
            "delete",
            "url_generator",
            "image_usage",
            "edit_multiple",
            "delete_multiple",
        )
    },
    "wagtailimages:url_generator_output": {"image_id": _image},
    "wagtailimages:preview": {"image_id": _image, "filter_spec": ANY},
    "wagtailimages:create_multiple_from_uploaded_image": {"uploaded_file_id": _own_upload},
    "wagtailimages:delete_upload_multiple": {"uploaded_file_id": _own_upload},
    "wagtailimages_chooser:choose": {},
    "wagtailimages_chooser:choose_results": {},
    "wagtailimages_chooser:create": {},
    "wagtailimages_chooser:chosen": {"pk": _image},
    "wagtailimages_chooser:chosen_multiple": {},  # ?id=
    "wagtailimages_chooser:select_format": {"image_id": _image},
    "wagtaildocs:index": {},
    "wagtaildocs:index_results": {},
    "wagtaildocs:add": {},
    "wagtaildocs:add_multiple": {},
    **{
        f"wagtaildocs:{name}": {"document_id": _document}
        for name in ("edit", "delete", "document_usage")
    },
    "wagtaildocs:edit_multiple": {"doc_id": _document},
    "wagtaildocs:delete_multiple": {"doc_id": _document},
    "wagtaildocs:create_multiple_from_uploaded_document": {"uploaded_file_id": _own_upload},
    "wagtaildocs:delete_upload_multiple": {"uploaded_file_id": _own_upload},
    "wagtaildocs_chooser:choose": {},
    "wagtaildocs_chooser:choose_results": {},
    "wagtaildocs_chooser:create": {},
    "wagtaildocs_chooser:chosen": {"pk": _document},
    "wagtaildocs_chooser:chosen_multiple": {},  # ?id=
    # the portal's settings (per site), its forms, webinars and the bookshop's reservations
    "wagtailsettings:edit": {"app_name": ANY, "model_name": ANY, "pk": _site},
    "wagtailsettings:preview_on_edit": {"app_name": ANY, "model_name": ANY, "pk": _site},
    "wagtailforms:index": {},
    "wagtailforms:index_results": {},
    "wagtailforms:list_submissions": PAGE,
    "wagtailforms:list_submissions_results": PAGE,
    "wagtailforms:delete_submissions": PAGE,
    "events_registrants_csv": PAGE,
    # the municipality officers' queue (portal/programmes/office.py, scoped there too)
    "programmes_admin_index": {},
    "programmes_admin_queue": {"programme_id": _programme},
    "programmes_admin_application": {"application_id": _application},
    "programmes_admin_approve": {"application_id": _application},
    "programmes_admin_paper": {"programme_id": _programme},
    "programmes_admin_letter": {"application_id": _application},
    "programmes_admin_attachment": {
        "application_id": _application,
        "attachment_id": _application_document,
    },
    # the officers' programme editor (portal/programmes/editing.py, scoped there too)
    "programmes_admin_create": {"territory_id": _office_territory},
    "programmes_admin_edit": {"programme_id": _programme},
    # a programme's dashboard, live figures and exports (portal/programmes/dashboard.py)
    "programmes_admin_dashboard": {"programme_id": _programme},
    "programmes_admin_figures": {"programme_id": _programme},
    "programmes_admin_export_applications": {"programme_id": _programme},
    "programmes_admin_export_movements": {"programme_id": _programme},
    # the welfare managers' citizens and bands (portal/welfare/office.py, scoped there too)
    "welfare_admin_index": {},
    "welfare_admin_citizens": {"territory_id": _welfare_territory},
    "welfare_admin_citizen": {"territory_id": _welfare_territory, "citizen_id": _welfare_citizen},
    "welfare_admin_log": {"territory_id": _welfare_territory},
    "welfare_admin_social_points": {"territory_id": _welfare_territory},
    "welfare_admin_social_point": {"territory_id": _welfare_territory, "point_id": _social_point},
    # assisted mode: acting on a citizen's behalf (portal/welfare/assisted_office.py)
    "welfare_admin_new_citizen": {"territory_id": _welfare_territory},
    "welfare_admin_assist": {"territory_id": _welfare_territory, "citizen_id": _welfare_citizen},
    "welfare_admin_assist_start": {
        "territory_id": _welfare_territory,
        "citizen_id": _welfare_citizen,
    },
    "welfare_admin_assisted_log": {"territory_id": _welfare_territory},
    # employer welfare: an employer's admins (portal/employers/admin_views.py, scoped there too;
    # new employers, funding and crediting are for superusers only, never listed here)
    "employers_admin_index": {},
    "employers_admin_dashboard": {"employer_id": _employer},
    "employers_admin_export": {"employer_id": _employer},
    "employers_admin_employees": {"employer_id": _employer},
    "employers_admin_import": {"employer_id": _employer},
    "employers_admin_invite": {"employer_id": _employer},
    "employers_admin_leaver": {"employer_id": _employer, "employee_id": _employee},
    "employers_admin_plan_new": {"employer_id": _employer},
    "employers_admin_plan": {"employer_id": _employer, "plan_id": _welfare_plan},
    "wagtailsnippets_bookshop_reservation:list": {},
    "wagtailsnippets_bookshop_reservation:list_results": {},
    **{
        f"wagtailsnippets_bookshop_reservation:{name}": {"pk": _reservation}
        for name in ("edit", "delete", "usage", "history", "history_results", "inspect")
    },
    # shared news categories: chosen by every portal's editors, changed by administrators
    "wagtailsnippetchoosers_content_newscategory:choose": {},
    "wagtailsnippetchoosers_content_newscategory:choose_results": {},
    "wagtailsnippetchoosers_content_newscategory:chosen": {"pk": ANY},
    "wagtailsnippetchoosers_content_newscategory:chosen_multiple": {},
    # translations (wagtail-localize): the source page and the translated page are the user's
    "wagtail_localize:submit_page_translation": PAGE,
    "wagtail_localize:convert_to_alias": PAGE,
    "wagtail_localize:update_translations": {"translation_source_id": _translation_source},
    # the same view without "Publish immediately" (portal/content/wagtail_hooks.py)
    "portal_update_translations": {"translation_source_id": _translation_source},
    **{
        f"wagtail_localize:{name}": {"translation_id": _translation, "mode": ANY}
        for name in (
            "download_pofile",
            "upload_pofile",
            "machine_translate",
            "preview_translation",
            "stop_translation",
        )
    },
    "wagtail_localize:edit_string_translation": {
        "translation_id": _translation,
        "string_segment_id": _string_segment,
    },
    # newsletters: the send page and "send a test to me" of an issue (portal/newsletters)
    "newsletters_send": {"page_id": _newsletter_issue},
    "newsletters_send_test": {"page_id": _newsletter_issue},
    # campaigns (portal/campaigns): the views answer 404 to anyone but communications staff
    "campaigns_index": {},
    "campaigns_add": {},
    **{
        f"campaigns_{name}": {"campaign_id": _campaign}
        for name in ("edit", "duplicate", "codes", "codes_csv", "results", "results_csv")
    },
    "wagtail_localize:edit_override": {
        "translation_id": _translation,
        "overridable_segment_id": _overridable_segment,
    },
}

# views whose ``?id=`` list names objects: the kind of those objects
ID_LIST_VIEWS = {
    "wagtailadmin_choose_page_chosen_multiple": _page,
    "wagtailimages_chooser:chosen_multiple": _image,
    "wagtaildocs_chooser:chosen_multiple": _document,
    "wagtailsnippetchoosers_content_newscategory:chosen_multiple": ANY,
}
BULK_KINDS = {
    ("wagtailcore", "page"): _page,
    ("wagtailimages", "image"): _image,
    ("wagtaildocs", "document"): _document,
}


def may_open(request: HttpRequest, view_name: str, kwargs: dict) -> bool:
    """True when ``request.user`` may open the admin view ``view_name`` with ``kwargs``."""
    user = request.user
    checks = ADMIN_VIEWS.get(view_name)
    if checks is None:
        return False
    for name, value in kwargs.items():
        check = checks.get(name)
        if check is None or not check(user, value, kwargs):
            return False
    id_check = ID_LIST_VIEWS.get(view_name)
    if view_name == "wagtail_bulk_action":
        id_check = BULK_KINDS.get((kwargs.get("app_label"), kwargs.get("model_name")))
        if id_check is None:
            return False
    if id_check is not None:
        ids = request.GET.getlist("id") + request.POST.getlist("id")
        if "all" in ids:
            return False
        return all(i.isdigit() and id_check(user, int(i), kwargs) for i in ids)
    return True
