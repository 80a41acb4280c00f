import datetime

import pytest

from bulletins.services import issue_create
from tests.factories import (
    ColumnFactory,
    OrganisationFactory,
    PublicationFactory,
    intake_handler,
    intake_reporter,
)


@pytest.fixture
def unit(db):
    return OrganisationFactory(name="常山县发改局")


@pytest.fixture
def other_unit(db):
    return OrganisationFactory(name="常山县教育局")


@pytest.fixture
def reporter(unit):
    return intake_reporter(unit=unit, username="xinxiyuan", email="xxy@example.cn")


@pytest.fixture
def other_reporter(other_unit):
    return intake_reporter(unit=other_unit, username="jiaoyu", email="jy@example.cn")


@pytest.fixture
def editor(db):
    return intake_handler()


@pytest.fixture
def column(db):
    return ColumnFactory(publication=PublicationFactory(), name="基层动态")


@pytest.fixture
def draft(column, editor):
    return issue_create(publication=column.publication, date=datetime.date(2026, 11, 20), by=editor)
