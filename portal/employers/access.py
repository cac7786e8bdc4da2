"""Who administers which employer: its admins' group, or any platform admin (superuser)."""

from django.db.models import QuerySet

from .models import Employee, Employer


def employers_of(user) -> QuerySet[Employer]:
    if not user.is_authenticated:
        return Employer.objects.none()
    if user.is_superuser:
        return Employer.objects.all()
    return Employer.objects.filter(admins__in=user.groups.all())


def is_employer_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or employers_of(user).exists())


def employees_of(user, employer_id) -> QuerySet[Employee]:
    return Employee.objects.filter(employer__in=employers_of(user), employer_id=employer_id)
