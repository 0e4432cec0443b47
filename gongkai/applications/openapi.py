"""OpenAPI 3.1 description of the v1 API (kept next to the code it describes)."""

from gongkai.applications.models import IdType, ProvisionForm
from gongkai.applications.replies import ApplicantType

_ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "properties": {
    "code": {"type": "string", "examples": ["ID_NUMBER_INVALID"]}, "message": {"type": "string"},
    "field": {"type": ["string", "null"]}}}}}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "gongkai 依申请公开 API", "version": "1.0.0",
             "description": "提交政府信息公开申请并凭查询码和查询密码查询办理进度。"},
    "paths": {
        "/api/v1/applications": {"post": {
            "summary": "提交申请", "operationId": "submitApplication",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewApplication"}}}},
            "responses": {
                "201": {"description": "已受理", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Receipt"}}}},
                "200": {"description": "同一 submission_key 的重复提交，返回原申请（secret 为 null）",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Receipt"}}}},
                "400": {"description": "输入有误", "content": {"application/json": {"schema": _ERROR}}},
                "404": {"description": "受理机关不存在", "content": {"application/json": {"schema": _ERROR}}},
                "429": {"description": "提交过于频繁", "content": {"application/json": {"schema": _ERROR}}},
            }}},
        "/api/v1/applications/{code}": {"get": {
            "summary": "查询办理进度", "operationId": "getApplication",
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "X-Tracking-Secret", "in": "header", "required": False, "schema": {"type": "string"}},
            ],
            "responses": {
                "200": {"description": "办理进度", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}},
                "404": {"description": "查询码或查询密码不正确", "content": {"application/json": {"schema": _ERROR}}},
                "429": {"description": "查询过于频繁", "content": {"application/json": {"schema": _ERROR}}},
            }}},
    },
    "components": {"schemas": {
        "NewApplication": {"type": "object", "required": [
            "agency_code", "applicant_type", "applicant_name", "id_type", "id_number", "phone", "description", "provision_form"],
            "properties": {
                "agency_code": {"type": "string"}, "submission_key": {"type": "string", "maxLength": 64,
                                                                      "description": "客户端生成的幂等键，重试时保持不变"},
                "applicant_type": {"enum": ApplicantType.values}, "applicant_name": {"type": "string", "maxLength": 100},
                "contact_person": {"type": "string"}, "id_type": {"enum": IdType.values}, "id_number": {"type": "string"},
                "phone": {"type": "string"}, "email": {"type": "string", "format": "email"}, "address": {"type": "string"},
                "postcode": {"type": "string", "pattern": "^[0-9]{6}$"}, "description": {"type": "string", "maxLength": 4000},
                "provision_form": {"enum": ProvisionForm.values}}},
        "Receipt": {"type": "object", "properties": {
            "tracking_code": {"type": "string"}, "secret": {"type": ["string", "null"]},
            "submission_key": {"type": ["string", "null"], "description": "请求中的幂等键（未提供时为 null）"},
            "status": {"type": "string"}, "received_on": {"type": "string", "format": "date"}, "due_on": {"type": ["string", "null"], "format": "date"},
            "calendar_confirmed": {"type": "boolean", "description": "为 false 时答复期限跨入尚未录入节假日安排通知的年份，系按法定节假日推算的暂定日期"},
            "repeat": {"type": "boolean"}}},
        "Status": {"type": "object", "properties": {
            "tracking_code": {"type": "string"}, "agency": {"type": "object"}, "status": {"type": "string"},
            "status_label": {"type": "string"}, "received_on": {"type": "string", "format": "date"},
            "due_on": {"type": ["string", "null"], "format": "date"}, "clock_state": {"type": "string"},
            "calendar_confirmed": {"type": "boolean"}, "clock_steps": {"type": "array", "items": {"type": "string"}},
            "reply_type": {"type": ["string", "null"]}, "closed_on": {"type": ["string", "null"], "format": "date"},
            "letters": {"type": "array", "items": {"type": "object"}}}},
    }},
}
