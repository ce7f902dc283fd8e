import factory

from compacts.models import (
    CaseStudy,
    Compact,
    CompactEvent,
    CompactRole,
    ConfirmedEmail,
    Contact,
    GlossaryTerm,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationSector,
    Principle,
    Section,
    Signatory,
    SignatoryRole,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = OrganisationSector.PUBLIC
    kind = OrganisationKind.COUNCIL


class CompactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compact

    slug = factory.Sequence(lambda n: f"compact-{n}")
    title = factory.Sequence(lambda n: f"The Compact {n}")
    short_name = factory.Sequence(lambda n: f"Compact {n}")
    area = "Somewhere"
    reference_prefix = factory.Sequence(lambda n: f"C{n:03d}")
    status = "adopted"
    summary = "An agreement."
    source_file = "test.txt"


class CompactEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompactEvent

    compact = factory.SubFactory(CompactFactory)
    order = factory.Sequence(int)
    kind = "adopted"
    date = factory.Faker("date_object")
    precision = "year"
    description = "Adopted."


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    compact = factory.SubFactory(CompactFactory)
    ref = factory.Sequence(lambda n: f"section-{n}")
    order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Section title {n}")
    body = "Some running text."


class PrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Principle

    section = factory.SubFactory(SectionFactory)
    compact = factory.SelfAttribute("section.compact")
    order = factory.Sequence(int)
    ref = factory.Sequence(lambda n: f"principle-{n}")
    name = "Partnership"
    text = "Partnership - working together."


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    section = factory.SubFactory(SectionFactory)
    compact = factory.SelfAttribute("section.compact")
    organisation = factory.SubFactory(OrganisationFactory)
    order = factory.Sequence(int)
    role = SignatoryRole.SIGNED
    printed_name = factory.SelfAttribute("organisation.name")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    section = factory.SubFactory(SectionFactory)
    compact = factory.SelfAttribute("section.compact")
    order = factory.Sequence(int)
    ref = factory.Sequence(lambda n: f"contact-{n}")
    label = "A contact"
    details = "Someone\n01234 567890"


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GlossaryTerm

    section = factory.SubFactory(SectionFactory)
    compact = factory.SelfAttribute("section.compact")
    order = factory.Sequence(int)
    term = factory.Sequence(lambda n: f"Term {n}")
    text = factory.LazyAttribute(lambda o: f"{o.term}: what it means")


class CaseStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseStudy

    section = factory.SubFactory(SectionFactory)
    compact = factory.SelfAttribute("section.compact")
    order = factory.Sequence(int)
    ref = factory.Sequence(lambda n: f"case-{n}")
    title = "A case"
    body = "What happened."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}@example.org")
    email = factory.SelfAttribute("username")
    first_name = factory.Sequence(lambda n: f"Person{n}")
    last_name = "Example"
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def email_confirmed(user, create, extracted, **kwargs):
        """People have confirmed their address unless a test says otherwise (email_confirmed=False)."""
        if create and extracted is not False and user.email:
            ConfirmedEmail.objects.get_or_create(user=user, defaults={"email": user.email})


def member(user, organisation, *, champion_of=None, contact=False):
    """Make `user` a confirmed member (or Champion, for a Compact) of `organisation`; `contact`, its contact in the
    portal (who answers for it where it has no Champion)."""
    return Membership.objects.create(
        user=user,
        organisation=organisation,
        role="champion" if champion_of else "member",
        compact=champion_of,
        status="confirmed",
        is_contact=contact,
    )


def compact_role(user, compact, role):
    return CompactRole.objects.create(user=user, compact=compact, role=role)


def darlington_people():
    """Darlington's Compact as its fixture loads it (load "themes" and "darlington" first), with people in its
    organisations: a member and a Champion of First Stop Darlington, the council's Champion and another of its
    staff, the CVS's chair of panels and a panel member. Gives the Compact and the people by part."""
    compact = Compact.objects.get(slug="darlington")
    council = Organisation.objects.get(name="Darlington Borough Council")
    group = Organisation.objects.get(name="First Stop Darlington")
    people = {
        "vcs": UserFactory(username="val@firststop.example", first_name="Val", last_name="Carter"),
        "vcs_champion": UserFactory(username="vik@firststop.example", first_name="Vik", last_name="Chana"),
        "council_champion": UserFactory(username="cal@council.example", first_name="Cal", last_name="Hughes"),
        "council_staff": UserFactory(username="sue@council.example", first_name="Sue", last_name="Stone"),
        "chair": UserFactory(username="chris@evolution.example", first_name="Chris", last_name="Ashby"),
        "panel": UserFactory(username="pat@ageconcern.example", first_name="Pat", last_name="Nolan"),
    }
    member(people["vcs"], group)
    member(people["vcs_champion"], group, champion_of=compact)
    member(people["council_champion"], council, champion_of=compact)
    member(people["council_staff"], council, champion_of=compact)
    member(people["chair"], Organisation.objects.get(name="eVOLution (Darlington CVS)"))
    member(people["panel"], Organisation.objects.get(name="Age Concern Darlington"), champion_of=compact)
    compact_role(people["chair"], compact, "chair")
    return compact, people
