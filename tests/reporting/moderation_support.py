"""Shared by the comment moderation tests: comments with known text added to the survey of
tests/analytics, and finding them in the moderation list."""

UNIQUE = "Bãi rác tự phát cạnh cầu Máng gây ô nhiễm"
REPEATED = "Cần lắp thêm đèn chiếu sáng ở đường ven sông"
WITH_PHONE = "Gọi tôi theo số 0912 345 678 để phản ánh tiếp"


def add_comment(dataset, factory, group_name: str, text: str):
    """A counted response of the current round in the group, its answers copied from one
    already there, with `text` as its comment."""
    group = dataset.groups[group_name]
    model = next(r for r in dataset.counted(dataset.current, [group]))
    return factory.response(dataset.current, group, dataset.volunteer,
                            {**model.answers, "comment": text}, skipped=model.skipped)


def comment_list(client, headers, round_id, unit_id, **query):
    response = client.get(f"/api/v1/rounds/{round_id}/comments",
                          query_string={"unit_id": unit_id, **query}, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def group_of(listing: dict, text: str) -> dict:
    return next(group for group in listing["groups"] if group["text"] == text)


def refs(group: dict) -> list[dict]:
    return [{"response_id": c["response_id"], "question": c["question"]}
            for c in group["comments"]]
