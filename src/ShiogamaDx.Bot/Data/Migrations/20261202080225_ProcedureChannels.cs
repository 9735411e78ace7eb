using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShiogamaDx.Bot.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProcedureChannels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "Procedures",
                type: "TEXT",
                maxLength: 24,
                nullable: false,
                defaultValue: "Counter");

            migrationBuilder.AddColumn<string>(
                name: "CounterPayment",
                table: "Procedures",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            // Rows stored before the field: the card said online when the procedure was, else the counter.
            migrationBuilder.Sql("UPDATE \"Procedures\" SET \"Channel\" = 'Online' WHERE \"Online\" = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Channel",
                table: "Procedures");

            migrationBuilder.DropColumn(
                name: "CounterPayment",
                table: "Procedures");
        }
    }
}
