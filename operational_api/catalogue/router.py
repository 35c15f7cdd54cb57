from fastapi import APIRouter

from operational_api.catalogue import service
from operational_api.catalogue.schemas import CategoryIn, ColumnIn, ItemChange, ItemIn, ItemOut
from operational_api.deps import Conn, CurrentUser, Now, caller
from operational_api.roles import SYSADMIN

router = APIRouter(prefix="/catalogue", tags=["base data"])
SystemAdmin = caller(SYSADMIN)


@router.post("/columns", status_code=201)
def create_column(body: ColumnIn, conn: Conn, now: Now, user: SystemAdmin) -> dict:
    """Add a column (栏目)."""
    return service.create(conn, user=user, kind="column", values=body.model_dump(), now=now)


@router.post("/categories", status_code=201)
def create_category(body: CategoryIn, conn: Conn, now: Now, user: SystemAdmin) -> dict:
    """Add a category (类别) under a column."""
    return service.create(conn, user=user, kind="category", values=body.model_dump(), now=now)


@router.post("/items", status_code=201, response_model=ItemOut)
def create_item(body: ItemIn, conn: Conn, now: Now, user: SystemAdmin):
    """Add an item (项目) with its duration, price and promised response time."""
    return service.create(conn, user=user, kind="item", values=body.model_dump(), now=now)


@router.patch("/items/{item_id}", response_model=ItemOut)
def update_item(item_id: int, body: ItemChange, conn: Conn, now: Now, user: SystemAdmin):
    """Change an item's duration, price, response time, keywords or active flag."""
    changes = body.model_dump(exclude_none=True)
    return service.update_item(conn, user=user, item_id=item_id, changes=changes, now=now)


@router.get("/items", response_model=list[ItemOut])
def list_items(conn: Conn, user: CurrentUser):
    """The whole catalogue."""
    return service.tree(conn)
